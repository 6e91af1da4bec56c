// RFC 7518 §3.2: HMAC with SHA-2. The secret must be at least as long as the hash output
// (32/48/64 bytes); the MAC is compared in constant time (RFC 7515 §10.9) and never truncated.
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Algorithms;

internal sealed class HmacKey : JwsKey
{
    private readonly byte[] _secret;

    // One keyed HMAC context per thread: re-keying OpenSSL for every token costs more than the
    // MAC itself. IncrementalHash resets to the keyed state after each GetHashAndReset.
    private readonly ThreadLocal<IncrementalHash> _context;

    internal HmacKey(JwsAlgorithm algorithm, ReadOnlySpan<byte> secret, string? keyId)
        : base(algorithm, keyId)
    {
        if (secret.Length < algorithm.Size)
        {
            throw new KeyException(
                $"HMAC secret for {algorithm.Name} is {secret.Length} bytes; the minimum is {algorithm.Size} bytes ({algorithm.Size * 8} bits)");
        }

        _secret = secret.ToArray();
        _context = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(algorithm.Hash, _secret), trackAllValues: true);
    }

    public override bool HasPrivateKey => true;

    public override string KeyType => "oct";

    public override int KeySizeBits => _secret.Length * 8;

    internal override int SignatureSize => Algorithm.Size;

    public static HmacKey New(JwsAlgorithm algorithm)
    {
        Span<byte> secret = stackalloc byte[algorithm.Size];
        RandomNumberGenerator.Fill(secret);
        var key = new HmacKey(algorithm, secret, null);
        CryptographicOperations.ZeroMemory(secret);
        return key;
    }

    public override string ExportPrivateKeyPem() =>
        throw new KeyException("HMAC secrets have no PEM form; they are stored as a private JWK");

    public override string ExportPublicKeyPem() =>
        throw new KeyException("HMAC secrets have no public part");

    internal override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Algorithm.Size)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[64];
        int n = Mac(data, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..n], signature);
    }

    internal override int Sign(ReadOnlySpan<byte> data, Span<byte> destination) => Mac(data, destination);

    internal override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("k", Base64Url.Encode(_secret));
        writer.WriteString("kty", "oct");
    }

    internal override void WriteJwkMembers(Utf8JsonWriter writer, bool includePrivate) =>
        writer.WriteString("k", Base64Url.Encode(_secret));

    protected override void Dispose(bool disposing)
    {
        CryptographicOperations.ZeroMemory(_secret);
        foreach (IncrementalHash hmac in _context.Values)
        {
            hmac.Dispose();
        }

        _context.Dispose();
        base.Dispose(disposing);
    }

    private int Mac(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        IncrementalHash hmac = _context.Value!;
        hmac.AppendData(data);
        return hmac.GetHashAndReset(destination);
    }
}
