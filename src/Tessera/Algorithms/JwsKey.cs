// A key bound to exactly one JWS algorithm from the moment it exists (RFC 8725 §3.1: the
// algorithm comes from the key, never from the token). Subclasses are internal: nothing outside
// Tessera can add an algorithm or a key type.
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Algorithms;

/// <summary>A signing or verification key bound to one <see cref="JwsAlgorithm"/>.</summary>
/// <example><code>
/// using JwsKey key = JwsKey.Generate(JwsAlgorithm.EdDSA);
/// string kid = key.KeyId; // RFC 7638 thumbprint
/// </code></example>
public abstract class JwsKey : IDisposable
{
    private string? _keyId;

    private protected JwsKey(JwsAlgorithm algorithm, string? keyId)
    {
        Algorithm = algorithm;
        _keyId = keyId;
    }

    /// <summary>The one algorithm this key signs and verifies with.</summary>
    public JwsAlgorithm Algorithm { get; }

    /// <summary>The key id: the one it was given, else its RFC 7638 thumbprint.</summary>
    public string KeyId => _keyId ??= Thumbprint;

    /// <summary>True when the key can sign.</summary>
    public abstract bool HasPrivateKey { get; }

    /// <summary>The JWK key type (<c>RSA</c>, <c>EC</c>, <c>OKP</c>, <c>oct</c>).</summary>
    public abstract string KeyType { get; }

    /// <summary>Key size in bits (RSA modulus, curve order size, or HMAC secret).</summary>
    public abstract int KeySizeBits { get; }

    /// <summary>The RFC 7638 JWK thumbprint (SHA-256, base64url).</summary>
    public string Thumbprint => JwkThumbprint.Compute(this);

    /// <summary>Maximum signature length in bytes.</summary>
    internal abstract int SignatureSize { get; }

    /// <summary>Makes a new key for <paramref name="algorithm"/>; RSA uses <paramref name="rsaBits"/>.</summary>
    public static JwsKey Generate(JwsAlgorithm algorithm, int rsaBits = 4096)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return algorithm.Family switch
        {
            AlgorithmFamily.Hmac => HmacKey.New(algorithm),
            AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss => RsaKey.New(algorithm, rsaBits),
            AlgorithmFamily.Ecdsa => EcKey.New(algorithm),
            _ => EdKey.New(),
        };
    }

    /// <summary>
    /// Reads a PEM key (PKCS#8 or SPKI; PKCS#1 and SEC 1 accepted too) and binds it to
    /// <paramref name="algorithm"/>, else to the natural algorithm of its type (RSA: RS256).
    /// Throws <see cref="Keys.KeyException"/> naming the problem.
    /// </summary>
    public static JwsKey ImportPem(string pem, JwsAlgorithm? algorithm = null, string? keyId = null) =>
        PemKeyReader.Read(pem, algorithm, keyId);

    /// <summary>Reads one JWK (public or private). Throws <see cref="Keys.KeyException"/>.</summary>
    public static JwsKey ImportJwk(string json, JwsAlgorithm? algorithm = null)
    {
        using JsonDocument doc = Jwk.Parse(json, "JWK");
        return Jwk.Read(doc.RootElement, algorithm, allowPrivate: true)
            ?? throw new Keys.KeyException("The JWK is not a signing key Tessera supports");
    }

    /// <summary>The private key as PKCS#8 PEM (for HMAC: a private JWK).</summary>
    public abstract string ExportPrivateKeyPem();

    /// <summary>The public key as SPKI PEM; HMAC keys have none and throw.</summary>
    public abstract string ExportPublicKeyPem();

    /// <summary>The public JWK (for HMAC keys: the secret JWK, never published).</summary>
    public string ExportJwk() => Jwk.Write(this, includePrivate: false);

    /// <summary>The private JWK.</summary>
    public string ExportPrivateJwk() => Jwk.Write(this, includePrivate: true);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the underlying primitive.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Verifies a signature; false for any bad length or value. Never throws.</summary>
    internal abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>Signs into <paramref name="destination"/> (at least <see cref="SignatureSize"/>).</summary>
    internal abstract int Sign(ReadOnlySpan<byte> data, Span<byte> destination);

    /// <summary>Writes the RFC 7638 required public members in lexicographic order.</summary>
    internal abstract void WriteThumbprintMembers(Utf8JsonWriter writer);

    /// <summary>Writes the public members (after kty) and, when asked, the private ones.</summary>
    internal abstract void WriteJwkMembers(Utf8JsonWriter writer, bool includePrivate);

    /// <summary>Replaces the key id (used when a JWK or metadata names it).</summary>
    internal void SetKeyId(string keyId) => _keyId = keyId;

    private protected static Keys.KeyException NoPrivateKey() =>
        new("This key has no private part and cannot sign");
}
