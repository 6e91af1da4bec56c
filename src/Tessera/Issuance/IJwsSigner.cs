// The seam for keys whose private part Tessera never holds (a PKCS#11 token, docs/SPEC.md §10):
// the issuer needs only the algorithm, the kid and a way to sign. The algorithm is fixed by the
// signer, never chosen per token (RFC 8725 §3.1).
using Tessera.Algorithms;

namespace Tessera.Issuance;

/// <summary>Signs JWS signing inputs with a key held elsewhere (for example inside an HSM).</summary>
/// <example><code>
/// IJwsSigner signer = backend.Find(kid, JwsAlgorithm.EdDSA)!;
/// string token = issuer.Issue(signer, request).Token;
/// </code></example>
public interface IJwsSigner
{
    /// <summary>The one algorithm this signer signs with.</summary>
    JwsAlgorithm Algorithm { get; }

    /// <summary>The key id written into the token header (<c>kid</c>).</summary>
    string KeyId { get; }

    /// <summary>Maximum signature length in bytes; <see cref="Sign"/> never writes more.</summary>
    int MaxSignatureSize { get; }

    /// <summary>
    /// Signs <paramref name="data"/> (the JWS signing input) into <paramref name="signature"/>, which
    /// holds at least <see cref="MaxSignatureSize"/> bytes, in the JWS form of the algorithm
    /// (ECDSA: raw R||S). Returns the bytes written; throws when the signature cannot be made.
    /// </summary>
    int Sign(ReadOnlySpan<byte> data, Span<byte> signature);
}
