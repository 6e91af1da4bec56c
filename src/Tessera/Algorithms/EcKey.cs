// RFC 7518 §3.4: ECDSA with P-256/SHA-256, P-384/SHA-384, P-521/SHA-512. The curve is bound by
// the algorithm; signatures are the raw R‖S (IEEE P1363) form of exactly twice the field size,
// never DER (ATTACKS.md C06–C09). Points are validated on import (RFC 8725 §3.4).
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Algorithms;

internal sealed class EcKey : JwsKey
{
    private readonly ECDsa _ecdsa;

    internal EcKey(JwsAlgorithm algorithm, ECDsa ecdsa, bool hasPrivate, string? keyId)
        : base(algorithm, keyId)
    {
        string? expected = CurveName(algorithm);
        ECParameters p = ecdsa.ExportParameters(false);
        string? actual = CurveNameOf(p.Curve);
        if (actual != expected)
        {
            throw new KeyException($"{algorithm.Name} needs a {expected} key; this key is on {actual ?? "an unsupported curve"}");
        }

        _ecdsa = ecdsa;
        HasPrivateKey = hasPrivate;
    }

    public override bool HasPrivateKey { get; }

    public override string KeyType => "EC";

    public override int KeySizeBits => _ecdsa.KeySize;

    internal override int SignatureSize => Algorithm.Size * 2;

    public static string CurveName(JwsAlgorithm algorithm) => algorithm.Size switch
    {
        32 => "P-256",
        48 => "P-384",
        _ => "P-521",
    };

    public static ECCurve Curve(JwsAlgorithm algorithm) => algorithm.Size switch
    {
        32 => ECCurve.NamedCurves.nistP256,
        48 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    public static string? CurveNameOf(ECCurve curve) => curve.Oid?.Value switch
    {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        _ => curve.Oid?.FriendlyName switch
        {
            "nistP256" or "ECDSA_P256" => "P-256",
            "nistP384" or "ECDSA_P384" => "P-384",
            "nistP521" or "ECDSA_P521" => "P-521",
            _ => null,
        },
    };

    public static JwsAlgorithm? AlgorithmFor(string? curveName) => curveName switch
    {
        "P-256" => JwsAlgorithm.ES256,
        "P-384" => JwsAlgorithm.ES384,
        "P-521" => JwsAlgorithm.ES512,
        _ => null,
    };

    public static EcKey New(JwsAlgorithm algorithm) =>
        new(algorithm, ECDsa.Create(Curve(algorithm)), hasPrivate: true, keyId: null);

    public override string ExportPrivateKeyPem() =>
        HasPrivateKey ? _ecdsa.ExportPkcs8PrivateKeyPem() : throw NoPrivateKey();

    public override string ExportPublicKeyPem() => _ecdsa.ExportSubjectPublicKeyInfoPem();

    internal override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Algorithm.Size * 2)
        {
            return false;
        }

        try
        {
            return _ecdsa.VerifyData(data, signature, Algorithm.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
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

        return _ecdsa.SignData(data, destination, Algorithm.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    internal override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        ECParameters p = _ecdsa.ExportParameters(false);
        writer.WriteString("crv", CurveName(Algorithm));
        writer.WriteString("kty", "EC");
        writer.WriteString("x", Base64Url.Encode(p.Q.X));
        writer.WriteString("y", Base64Url.Encode(p.Q.Y));
    }

    internal override void WriteJwkMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        ECParameters p = _ecdsa.ExportParameters(includePrivate && HasPrivateKey);
        writer.WriteString("crv", CurveName(Algorithm));
        writer.WriteString("x", Base64Url.Encode(p.Q.X));
        writer.WriteString("y", Base64Url.Encode(p.Q.Y));
        if (p.D is not null)
        {
            writer.WriteString("d", Base64Url.Encode(p.D));
            CryptographicOperations.ZeroMemory(p.D);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _ecdsa.Dispose();
        base.Dispose(disposing);
    }
}
