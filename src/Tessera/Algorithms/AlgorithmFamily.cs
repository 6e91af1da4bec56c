namespace Tessera.Algorithms;

/// <summary>The primitive behind a JWS algorithm (RFC 7518 §3.1, RFC 8037 §3.1).</summary>
public enum AlgorithmFamily
{
    /// <summary>HMAC with SHA-2 (RFC 7518 §3.2).</summary>
    Hmac,

    /// <summary>RSASSA-PKCS1-v1_5 (RFC 7518 §3.3).</summary>
    Rsa,

    /// <summary>RSASSA-PSS (RFC 7518 §3.5).</summary>
    RsaPss,

    /// <summary>ECDSA over the NIST curves (RFC 7518 §3.4).</summary>
    Ecdsa,

    /// <summary>Ed25519 (RFC 8037 §3.1).</summary>
    EdDsa,
}
