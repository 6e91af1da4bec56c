// RFC 7518 §3.3 (RSASSA-PKCS1-v1_5) and §3.5 (RSASSA-PSS, salt = hash length, MGF1 with the
// same hash). Keys under 2048 bits are refused (RFC 7518 §3.3, RFC 8725 §3.5); over 8192 bits
// too (verification cost, ATTACKS.md D25/H01). The public exponent must be odd and at least
// 65537 (NIST SP 800-56B; refuses e = 1 and the small-e forgeries of ATTACKS.md D17/C11).
// Keys with the ROCA fingerprint are refused (ATTACKS.md D18).
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Algorithms;

internal sealed class RsaKey : JwsKey
{
    internal const int MinBits = 2048;
    internal const int MaxBits = 8192;

    private readonly RSA _rsa;
    private readonly RSASignaturePadding _padding;
    private readonly int _modulusBytes;

    internal RsaKey(JwsAlgorithm algorithm, RSA rsa, bool hasPrivate, string? keyId)
        : base(algorithm, keyId)
    {
        if (rsa.KeySize < MinBits)
        {
            throw new KeyException($"RSA key is {rsa.KeySize} bits; the minimum is {MinBits} bits");
        }

        if (rsa.KeySize > MaxBits)
        {
            throw new KeyException($"RSA key is {rsa.KeySize} bits; the maximum is {MaxBits} bits");
        }

        RSAParameters p = rsa.ExportParameters(false);
        var e = new BigInteger(p.Exponent, isUnsigned: true, isBigEndian: true);
        if (e < 65537 || e.IsEven || p.Exponent!.Length > 32)
        {
            throw new KeyException("RSA public exponent must be odd and between 65537 and 2^256");
        }

        if (RocaCheck.IsVulnerable(new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true)))
        {
            throw new KeyException("RSA key has the ROCA fingerprint (CVE-2017-15361): its private key can be recovered; replace it");
        }

        _rsa = rsa;
        _padding = algorithm.Family == AlgorithmFamily.RsaPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        _modulusBytes = (rsa.KeySize + 7) / 8;
        HasPrivateKey = hasPrivate;
    }

    public override bool HasPrivateKey { get; }

    public override string KeyType => "RSA";

    public override int KeySizeBits => _rsa.KeySize;

    internal override int SignatureSize => _modulusBytes;

    public static RsaKey New(JwsAlgorithm algorithm, int bits)
    {
        if (bits is < MinBits or > MaxBits || bits % 8 != 0)
        {
            throw new KeyException($"RSA key size {bits} is out of range; use a multiple of 8 from {MinBits} to {MaxBits} (4096 recommended)");
        }

        return new RsaKey(algorithm, RSA.Create(bits), hasPrivate: true, keyId: null);
    }

    public override string ExportPrivateKeyPem() =>
        HasPrivateKey ? _rsa.ExportPkcs8PrivateKeyPem() : throw NoPrivateKey();

    public override string ExportPublicKeyPem() => _rsa.ExportSubjectPublicKeyInfoPem();

    internal override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // RFC 8017 §8.2.2 step 1: the signature is exactly k bytes.
        if (signature.Length != _modulusBytes)
        {
            return false;
        }

        try
        {
            return _rsa.VerifyData(data, signature, Algorithm.Hash, _padding);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    internal override int Sign(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!HasPrivateKey)
        {
            throw NoPrivateKey();
        }

        return _rsa.SignData(data, destination, Algorithm.Hash, _padding);
    }

    internal override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        RSAParameters p = _rsa.ExportParameters(false);
        writer.WriteString("e", Base64Url.Encode(p.Exponent));
        writer.WriteString("kty", "RSA");
        writer.WriteString("n", Base64Url.Encode(p.Modulus));
    }

    internal override void WriteJwkMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        RSAParameters p = _rsa.ExportParameters(includePrivate && HasPrivateKey);
        writer.WriteString("n", Base64Url.Encode(p.Modulus));
        writer.WriteString("e", Base64Url.Encode(p.Exponent));
        if (p.D is not null)
        {
            writer.WriteString("d", Base64Url.Encode(p.D));
            writer.WriteString("p", Base64Url.Encode(p.P));
            writer.WriteString("q", Base64Url.Encode(p.Q));
            writer.WriteString("dp", Base64Url.Encode(p.DP));
            writer.WriteString("dq", Base64Url.Encode(p.DQ));
            writer.WriteString("qi", Base64Url.Encode(p.InverseQ));
            CryptographicOperations.ZeroMemory(p.D);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _rsa.Dispose();
        base.Dispose(disposing);
    }
}
