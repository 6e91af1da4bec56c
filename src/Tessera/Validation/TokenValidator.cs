// The one validation pipeline (docs/SPEC.md §2; RFC 7515 §5.2, RFC 7519 §7.2, RFC 8725 §3,
// RFC 9068 §4). Steps run in this fixed order, one named method each, and the first failure is
// the answer:
//   1. Shape      CheckShape               size, three non-empty canonical base64url segments,
//                                          strict JSON header and payload (TokenParts.Read)
//   2. Algorithm  CheckAlgorithm           header "alg" is on the allow-list
//   3. Key        FindKey                  lookup by "kid"; the key's algorithm must equal "alg"
//   4. Signature  CheckSignature           over the bytes as sent
//   5. Type       TokenPolicy.CheckType    "typ"
//   6. Claims     TokenPolicy.CheckClaims  types, required, exp/nbf/iat with skew, lifetime, iss, aud
//   7. Revocation CheckRevocation          "jti" not on the deny list, "iat" not before a cutoff
//                                          of its sub, client_id or the issuer; a stale list
//                                          refuses unless AcceptStaleRevocations
// ValidateNew calls 1–4 and CheckAfterSignature calls 5–7. A token that passed every step is
// remembered; a repeat skips steps 1–4, never 5–7.
// Untrusted input never throws: every outcome is a ValidationResult.
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation;

namespace Tessera.Validation;

/// <summary>Validates access tokens against a key set and a policy.</summary>
/// <example><code>
/// var validator = new TokenValidator(options, KeySet.FromJwks(jwks));
/// ValidationResult result = validator.Validate(token);
/// if (!result.IsValid) return Results.Unauthorized(); // result.Message is canonical
/// </code></example>
public sealed class TokenValidator
{
    private readonly ValidationOptions _options;
    private readonly TimeProvider _time;
    private readonly IRevocationList? _revocations;
    private readonly VerifiedTokenCache? _cache;
    private readonly int _allowed;
    private readonly TokenPolicy _policy;
    private KeySet _keys;

    /// <summary>Builds a validator; throws <see cref="ArgumentException"/> listing every option problem.</summary>
    public TokenValidator(ValidationOptions options, KeySet keys, TimeProvider? time = null, IRevocationList? revocations = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        IReadOnlyList<string> problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid validation options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _keys = keys;
        _time = time ?? TimeProvider.System;
        _revocations = revocations;
        _cache = options.CacheSize > 0 ? new VerifiedTokenCache(options.CacheSize) : null;
        _allowed = options.Algorithms.Aggregate(0, (bits, a) => bits | a.Bit);
        _policy = new TokenPolicy(options, _time);
    }

    /// <summary>The policy.</summary>
    public ValidationOptions Options => _options;

    /// <summary>The current key set.</summary>
    public KeySet Keys => Volatile.Read(ref _keys);

    /// <summary>Replaces the key set; remembered tokens whose key left the set are forgotten.</summary>
    public void UpdateKeys(KeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Volatile.Write(ref _keys, keys);
        _cache?.Sweep(Now(), claims => keys.Contains(claims.Key));
    }

    /// <summary>Validates one compact JWS access token.</summary>
    public ValidationResult Validate(string? token) =>
        token is null ? Fail(ValidationError.Malformed, "no token") : Validate(token.AsSpan(), token);

    /// <summary>Validates one compact JWS access token.</summary>
    public ValidationResult Validate(ReadOnlySpan<char> token) => Validate(token, null);

    /// <summary>
    /// Steps 1–4 only, with the payload taken as opaque bytes: the JWS layer (RFC 7515 §5.2),
    /// used by tests for vectors whose payload is not a claims set. Not a way to accept tokens.
    /// </summary>
    internal ValidationError VerifyJwsOnly(string token)
    {
        if (token.Length == 0 || token.Length > _options.MaxTokenSize)
        {
            return ValidationError.Malformed;
        }

        byte[] work = ArrayPool<byte>.Shared.Rent(token.Length * 4);
        try
        {
            return ValidateNew(token, work, jwsOnly: true).Error;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(work);
        }
    }

    private ValidationResult Validate(ReadOnlySpan<char> token, string? tokenString)
    {
        // Step 1 starts with the size, before anything reads the whole token: the cache lookup
        // below hashes every character and the work buffer is 4 × the length, so an oversized
        // token costs neither, and the limit (at most 64 KiB) bounds the rent.
        if (token.IsEmpty || token.Length > _options.MaxTokenSize)
        {
            return Fail(ValidationError.Malformed, token.IsEmpty ? "empty token" : "token over the size limit");
        }

        if (_cache is not null && _cache.TryGet(token, out TokenClaims? known))
        {
            if (ReferenceEquals(known.VerifiedBy, Keys) || Keys.Contains(known.Key))
            {
                ValidationResult again = CheckAfterSignature(known);
                if (again.Error is ValidationError.Expired)
                {
                    _cache.Remove(token);
                }

                return again;
            }

            _cache.Remove(token);
        }

        // One buffer for everything steps 1–4 decode (layout and sizes in TokenParts). It may go
        // back to the pool: TokenClaims copies out what steps 5–7 and the caller keep.
        byte[] work = ArrayPool<byte>.Shared.Rent(token.Length * 4);
        try
        {
            ValidationResult result = ValidateNew(token, work, jwsOnly: false);
            if (result.IsValid && _cache is not null)
            {
                _cache.Add(token, tokenString, result.Claims!, Now());
            }

            return result;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(work);
        }
    }

    // docs/SPEC.md §2 for a token not seen before, one step per call, in the order of the SPEC:
    // the first failure is the answer. The claims are read (and a malformed payload refused) in
    // step 1, but judged only in step 6, after the signature.
    private ValidationResult ValidateNew(ReadOnlySpan<char> token, Span<byte> work, bool jwsOnly)
    {
        // The stack buffers for alg and kid belong to this frame so they outlive step 1, which
        // copies both there before the claims reuse the arena they were read into.
        var parts = new TokenParts(stackalloc byte[TokenParts.MaxAlgLength], stackalloc byte[TokenParts.MaxKidLength]);

        // One snapshot of the key set for step 3 and the claims' VerifiedBy (UpdateKeys may swap it).
        KeySet keys = Keys;
        if (!CheckShape(token, work, jwsOnly, ref parts, out ValidationResult failure)
            || !CheckAlgorithm(in parts, out JwsAlgorithm algorithm, out failure)
            || !FindKey(in parts, keys, algorithm, out JwsKey? key, out failure)
            || !CheckSignature(in parts, key, out failure))
        {
            return failure;
        }

        return jwsOnly
            ? new ValidationResult(ValidationError.None, null, null, key)
            : CheckAfterSignature(new TokenClaims(parts.Payload, parts.Values, in parts.Claims, key, keys));
    }

    // 5–7, also for a repeat of a remembered token. From here every result carries the claims
    // and the key, refusals included.
    private ValidationResult CheckAfterSignature(TokenClaims token)
    {
        ValidationError error = _policy.CheckType(token);
        string? detail = null;
        if (error == ValidationError.None)
        {
            error = _policy.CheckClaims(token, out detail);
        }

        bool acceptedStale = false;
        if (error == ValidationError.None)
        {
            error = CheckRevocation(token, ref detail, out acceptedStale);
        }

        return new ValidationResult(error, detail, token, token.Key, acceptedStale);
    }

    // 1. Shape: size (checked by the caller), segments, base64url, strict header and claims JSON.
    private static bool CheckShape(ReadOnlySpan<char> token, Span<byte> work, bool jwsOnly, ref TokenParts parts, out ValidationResult failure)
    {
        string? malformed = parts.Read(token, work, readClaims: !jwsOnly);
        failure = malformed is null ? default : Fail(ValidationError.Malformed, malformed);
        return malformed is null;
    }

    // 2. Algorithm: exact, case-sensitive match on the allow-list ("none" never parses).
    private bool CheckAlgorithm(in TokenParts parts, out JwsAlgorithm algorithm, out ValidationResult failure)
    {
        algorithm = null!;
        bool allowed = !parts.AlgTooLong && JwsAlgorithm.TryParse(parts.Alg, out algorithm) && (_allowed & algorithm.Bit) != 0;
        failure = allowed ? default : Fail(ValidationError.InvalidAlgorithm, null);
        return allowed;
    }

    // 3. Key: by exact kid; without a kid only a single-key set matches. The algorithm comes from
    // the key, never from the token (RFC 8725 §3.1): a key bound to another one is refused.
    private static bool FindKey(in TokenParts parts, KeySet keys, JwsAlgorithm algorithm, [NotNullWhen(true)] out JwsKey? key, out ValidationResult failure)
    {
        key = parts.KidTooLong ? null : Lookup(keys, parts.Kid, parts.HasKid);
        if (key is null)
        {
            failure = Fail(ValidationError.UnknownKey, null);
            return false;
        }

        if (key.Algorithm != algorithm)
        {
            failure = Fail(ValidationError.InvalidAlgorithm, "key " + key.KeyId + " is bound to " + key.Algorithm.Name);
            return false;
        }

        failure = default;
        return true;
    }

    // 4. Signature over the header and payload as sent.
    private static bool CheckSignature(in TokenParts parts, JwsKey key, out ValidationResult failure)
    {
        bool verified = key.Verify(parts.SigningInput, parts.Signature);
        failure = verified ? default : new ValidationResult(ValidationError.InvalidSignature, null, null, key);
        return verified;
    }

    // 7. Revocation: one O(1) question to the deny list about jti, sub, client_id and iat (a
    // validator without a list revokes nothing). A stale list refuses, with its own detail,
    // unless the policy accepts stale answers; then the result says so, for the security log.
    private ValidationError CheckRevocation(TokenClaims token, ref string? detail, out bool acceptedStale)
    {
        acceptedStale = false;
        if (_revocations is null)
        {
            return ValidationError.None;
        }

        switch (_revocations.Check(token.JwtId, token.Subject, token.ClientId, token.IssuedAt))
        {
            case RevocationStatus.Revoked:
                return ValidationError.Revoked;
            case RevocationStatus.Stale when _options.AcceptStaleRevocations:
                acceptedStale = true;
                return ValidationError.None;
            case RevocationStatus.Stale:
                detail = ValidationResult.StaleRevocationDetail;
                return ValidationError.Revoked;
            default:
                return ValidationError.None;
        }
    }

    private static JwsKey? Lookup(KeySet keys, ReadOnlySpan<byte> kid, bool hasKid)
    {
        if (!hasKid)
        {
            return keys.Keys.Count == 1 ? keys.Keys[0] : null;
        }

        Span<char> chars = stackalloc char[TokenParts.MaxKidLength];
        int count = Encoding.UTF8.GetChars(kid, chars);
        return keys.TryFind(chars[..count], out JwsKey key) ? key : null;
    }

    private static ValidationResult Fail(ValidationError error, string? detail) => new(error, detail, null, null);

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();
}
