using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Validation;

namespace Tessera.Tests.Vectors;

/// <summary>What one JOSE vector gave: the key-set load, the JWS layer and the full pipeline.</summary>
/// <param name="JwsLayer">A <see cref="ValidationError"/> name, or <see cref="JoseHarness.KeyRefused"/>.</param>
/// <param name="Full">The full pipeline's code; null when the key set was refused.</param>
/// <param name="Keys">The loaded key set; null when it was refused.</param>
/// <param name="KeyError">The KeyException message when the key set was refused.</param>
internal sealed record JoseRun(string JwsLayer, ValidationError? Full, KeySet? Keys, string? KeyError);

/// <summary>
/// Runs Wycheproof-style JOSE vectors (a JWK or JWK Set and a token) through Tessera.
/// The key set is read with <see cref="KeySet.FromJwks"/>, so each key is bound to its JWK
/// <c>alg</c> exactly as in production. The allow-list is the algorithms of the loaded keys;
/// when every key was skipped (other use, unknown alg), it is the algorithm an operator would
/// configure for that key type (oct HS256, RSA RS256, EC by curve, OKP EdDSA), so the token
/// reaches step 3 and the test shows that the skipped key is never used.
/// </summary>
internal static class JoseHarness
{
    /// <summary>The outcome when the key set is refused at load time.</summary>
    public const string KeyRefused = "KeyException";

    public const string Issuer = "https://vectors.test";
    public const string Audience = "vectors";

    /// <summary>The group's key material as a JWK Set: <c>public</c>, else <c>private</c> (symmetric).</summary>
    public static string KeySetJson(JsonElement group)
    {
        JsonElement key = group.TryGetProperty("public", out JsonElement pub) ? pub : group.GetProperty("private");
        return Wrap(key);
    }

    /// <summary>A single JWK wrapped as <c>{"keys":[...]}</c>; a JWK Set as it is.</summary>
    public static string Wrap(JsonElement key) =>
        key.TryGetProperty("keys", out _) ? key.GetRawText() : "{\"keys\":[" + key.GetRawText() + "]}";

    /// <summary>The token text: compact string, or a JSON-serialization object as its JSON text.</summary>
    public static string Token(JsonElement jws) =>
        jws.ValueKind == JsonValueKind.String ? jws.GetString()! : jws.GetRawText();

    public static JoseRun Run(string jwks, string token, JwsAlgorithm? fallback = null)
    {
        KeySet keys;
        try
        {
            keys = KeySet.FromJwks(jwks, fallback);
        }
        catch (KeyException ex)
        {
            return new JoseRun(KeyRefused, null, null, ex.Message);
        }

        TokenValidator validator = Validator(keys, AllowList(keys, jwks));
        string jws = validator.VerifyJwsOnly(token).ToString();
        return new JoseRun(jws, validator.Validate(token).Error, keys, null);
    }

    public static TokenValidator Validator(KeySet keys, IReadOnlyList<JwsAlgorithm> algorithms, TimeProvider? clock = null, string type = "at+jwt", string issuer = Issuer) =>
        new(
            new ValidationOptions
            {
                Issuer = issuer,
                Audiences = [Audience],
                Algorithms = algorithms,
                Type = type,
                CacheSize = 0,
            },
            keys,
            clock ?? new Support.FakeClock(Support.Tokens.Now));

    public static IReadOnlyList<JwsAlgorithm> AllowList(KeySet keys, string jwks)
    {
        if (keys.Keys.Count > 0)
        {
            return keys.Algorithms;
        }

        using JsonDocument doc = JsonDocument.Parse(jwks);
        JsonElement first = doc.RootElement.GetProperty("keys")[0];
        JwsAlgorithm natural = VectorFile.OptStr(first, "kty") switch
        {
            "oct" => JwsAlgorithm.HS256,
            "RSA" => JwsAlgorithm.RS256,
            "OKP" => JwsAlgorithm.EdDSA,
            _ => VectorFile.OptStr(first, "crv") switch
            {
                "P-384" => JwsAlgorithm.ES384,
                "P-521" => JwsAlgorithm.ES512,
                _ => JwsAlgorithm.ES256,
            },
        };
        return [natural];
    }

    /// <summary>
    /// The exact JWS-layer code for the Wycheproof JOSE test names shared by the JWS and
    /// JW-crypto files, or null when the name alone does not decide it.
    /// </summary>
    public static ValidationError? ByComment(string comment, string[] flags) => comment switch
    {
        "acceptsValid" => ValidationError.None,

        // Step 4: the bytes signed changed, or the signature did.
        "rejectsModifiedSignature" or "rejectsModifiedPayload" => ValidationError.InvalidSignature,

        // The only header change in these vectors is the kid ("kid-…" → "Xid-…"): step 3.
        "rejectsModifiedHeader" => ValidationError.UnknownKey,

        // An empty signature passes step 1 (docs/SPEC.md §2): under "none" step 2 refuses the
        // algorithm; under a real algorithm step 4 refuses the signature (wrong length).
        "rejectsNoneAlgorithmAndMissingSignature" => ValidationError.InvalidAlgorithm,
        "rejectsMissingSignature" => ValidationError.InvalidSignature,

        // Step 1: missing or extra segments, empty segments, empty token, JSON serialization.
        _ when comment.StartsWith("rejectsMissing", StringComparison.Ordinal)
            || comment.StartsWith("rejectsExtra", StringComparison.Ordinal)
            || comment is "rejectsEmptyString" or "rejectsValidJsonSerialization"
            => ValidationError.Malformed,

        // HS256 header against an ES256 key: HS256 is not on the allow-list (step 2).
        "rejectsSymmetryConfusionAttacks_aesKeyFromEcVerificationKeyBytes" => ValidationError.InvalidAlgorithm,

        // The header's "jwk" is ignored; the attacker's signature fails under the trusted key.
        "rejectsAttackerProvidedEmbeddedJwk" => ValidationError.InvalidSignature,

        _ when flags.Contains("ModifiedPadding") || flags.Contains("ModifiedSignature") => ValidationError.InvalidSignature,
        _ => null,
    };
}
