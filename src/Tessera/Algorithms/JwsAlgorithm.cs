// RFC 7518 §3.1 (the JWS "alg" registry) and RFC 8037 §3.1 (EdDSA). Names are case-sensitive
// (RFC 7515 §4.1.1). "none" (RFC 7518 §3.6) has no instance: it cannot be named, allowed or used.
using System.Security.Cryptography;

namespace Tessera.Algorithms;

/// <summary>
/// One JWS signature algorithm. The set is closed: the instances below are the only ones.
/// </summary>
/// <example><code>JwsAlgorithm alg = JwsAlgorithm.Parse("EdDSA");</code></example>
public sealed class JwsAlgorithm
{
    private JwsAlgorithm(string name, int id, AlgorithmFamily family, HashAlgorithmName hash, int size)
    {
        Name = name;
        Id = id;
        Family = family;
        Hash = hash;
        Size = size;
    }

    /// <summary>HMAC SHA-256.</summary>
    public static JwsAlgorithm HS256 { get; } = new("HS256", 0, AlgorithmFamily.Hmac, HashAlgorithmName.SHA256, 32);

    /// <summary>HMAC SHA-384.</summary>
    public static JwsAlgorithm HS384 { get; } = new("HS384", 1, AlgorithmFamily.Hmac, HashAlgorithmName.SHA384, 48);

    /// <summary>HMAC SHA-512.</summary>
    public static JwsAlgorithm HS512 { get; } = new("HS512", 2, AlgorithmFamily.Hmac, HashAlgorithmName.SHA512, 64);

    /// <summary>RSASSA-PKCS1-v1_5 SHA-256.</summary>
    public static JwsAlgorithm RS256 { get; } = new("RS256", 3, AlgorithmFamily.Rsa, HashAlgorithmName.SHA256, 0);

    /// <summary>RSASSA-PKCS1-v1_5 SHA-384.</summary>
    public static JwsAlgorithm RS384 { get; } = new("RS384", 4, AlgorithmFamily.Rsa, HashAlgorithmName.SHA384, 0);

    /// <summary>RSASSA-PKCS1-v1_5 SHA-512.</summary>
    public static JwsAlgorithm RS512 { get; } = new("RS512", 5, AlgorithmFamily.Rsa, HashAlgorithmName.SHA512, 0);

    /// <summary>RSASSA-PSS SHA-256, MGF1 SHA-256, salt 32 bytes.</summary>
    public static JwsAlgorithm PS256 { get; } = new("PS256", 6, AlgorithmFamily.RsaPss, HashAlgorithmName.SHA256, 0);

    /// <summary>RSASSA-PSS SHA-384, MGF1 SHA-384, salt 48 bytes.</summary>
    public static JwsAlgorithm PS384 { get; } = new("PS384", 7, AlgorithmFamily.RsaPss, HashAlgorithmName.SHA384, 0);

    /// <summary>RSASSA-PSS SHA-512, MGF1 SHA-512, salt 64 bytes.</summary>
    public static JwsAlgorithm PS512 { get; } = new("PS512", 8, AlgorithmFamily.RsaPss, HashAlgorithmName.SHA512, 0);

    /// <summary>ECDSA P-256 SHA-256 (signature 64 bytes R‖S).</summary>
    public static JwsAlgorithm ES256 { get; } = new("ES256", 9, AlgorithmFamily.Ecdsa, HashAlgorithmName.SHA256, 32);

    /// <summary>ECDSA P-384 SHA-384 (signature 96 bytes R‖S).</summary>
    public static JwsAlgorithm ES384 { get; } = new("ES384", 10, AlgorithmFamily.Ecdsa, HashAlgorithmName.SHA384, 48);

    /// <summary>ECDSA P-521 SHA-512 (signature 132 bytes R‖S).</summary>
    public static JwsAlgorithm ES512 { get; } = new("ES512", 11, AlgorithmFamily.Ecdsa, HashAlgorithmName.SHA512, 66);

    /// <summary>EdDSA with Ed25519 (RFC 8037).</summary>
    public static JwsAlgorithm EdDSA { get; } = new("EdDSA", 12, AlgorithmFamily.EdDsa, default, 32);

    /// <summary>Every algorithm Tessera knows, in registry order.</summary>
    public static IReadOnlyList<JwsAlgorithm> All { get; } =
        [HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA];

    /// <summary>The registered name, e.g. <c>ES256</c>.</summary>
    public string Name { get; }

    /// <summary>The primitive family.</summary>
    public AlgorithmFamily Family { get; }

    /// <summary>True for HMAC algorithms, whose key is a shared secret.</summary>
    public bool IsSymmetric => Family == AlgorithmFamily.Hmac;

    internal int Id { get; }

    internal HashAlgorithmName Hash { get; }

    /// <summary>HMAC: minimum key and MAC length; ECDSA: field size in bytes; EdDSA: key size.</summary>
    internal int Size { get; }

    internal int Bit => 1 << Id;

    /// <summary>Looks up a name exactly (case-sensitive); <c>none</c> and unknown names give false.</summary>
    public static bool TryParse(string? name, out JwsAlgorithm algorithm)
    {
        algorithm = null!;
        return name is not null && name.Length <= 8 && TryParse(System.Text.Encoding.ASCII.GetBytes(name), out algorithm);
    }

    /// <summary>Looks up UTF-8 bytes exactly (case-sensitive).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JwsAlgorithm algorithm)
    {
        algorithm = utf8 switch
        {
            _ when utf8.SequenceEqual("EdDSA"u8) => EdDSA,
            _ when utf8.SequenceEqual("ES256"u8) => ES256,
            _ when utf8.SequenceEqual("RS256"u8) => RS256,
            _ when utf8.SequenceEqual("PS256"u8) => PS256,
            _ when utf8.SequenceEqual("HS256"u8) => HS256,
            _ when utf8.SequenceEqual("ES384"u8) => ES384,
            _ when utf8.SequenceEqual("ES512"u8) => ES512,
            _ when utf8.SequenceEqual("RS384"u8) => RS384,
            _ when utf8.SequenceEqual("RS512"u8) => RS512,
            _ when utf8.SequenceEqual("PS384"u8) => PS384,
            _ when utf8.SequenceEqual("PS512"u8) => PS512,
            _ when utf8.SequenceEqual("HS384"u8) => HS384,
            _ when utf8.SequenceEqual("HS512"u8) => HS512,
            _ => null!,
        };
        return algorithm is not null;
    }

    /// <summary>Parses a name or throws <see cref="ArgumentException"/> naming the accepted values.</summary>
    public static JwsAlgorithm Parse(string name) =>
        TryParse(name, out JwsAlgorithm alg)
            ? alg
            : throw new ArgumentException(
                $"Unknown algorithm '{name}'; expected one of {string.Join(", ", All.Select(a => a.Name))} (case-sensitive)",
                nameof(name));

    /// <inheritdoc/>
    public override string ToString() => Name;
}
