// The one validation pipeline (SPEC.md §2; RFC 7515 §5.2, RFC 7519 §7.2, RFC 8725 §3, RFC 9068 §4).
// Steps run in this fixed order and the first failure is the answer:
//   1. Shape      size, three canonical base64url segments, strict JSON header and payload
//   2. Algorithm  header "alg" is on the allow-list
//   3. Key        lookup by "kid"; the key's own algorithm must equal "alg"
//   4. Signature  over the bytes as sent
//   5. Type       "typ"
//   6. Claims     types, required, exp/nbf/iat with skew, lifetime, iss, aud
//   7. Revocation "jti" not on the deny list
// A token that passed every step is remembered; a repeat skips steps 1–4, never 5–7.
// Untrusted input never throws: every outcome is a ValidationResult.
using System.Buffers;
using System.Text;
using Tessera.Algorithms;
using Tessera.Jose;
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
    private const int MaxKidLength = 256;

    private readonly ValidationOptions _options;
    private readonly TimeProvider _time;
    private readonly IRevocationList? _revocations;
    private readonly VerifiedTokenCache? _cache;
    private readonly int _allowed;
    private readonly byte[] _issuer;
    private readonly byte[][] _audiences;
    private readonly byte[] _type;
    private readonly long _skew;
    private readonly long _maxLifetime;
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
        _issuer = Encoding.UTF8.GetBytes(options.Issuer);
        _audiences = [.. options.Audiences.Select(Encoding.UTF8.GetBytes)];
        _type = Encoding.UTF8.GetBytes(options.Type);
        _skew = (long)options.ClockSkew.TotalSeconds;
        _maxLifetime = (long)options.MaxLifetime.TotalSeconds;
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
        // Step 1 starts with the size, before anything reads the whole token (even the cache).
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

    private ValidationResult ValidateNew(ReadOnlySpan<char> token, Span<byte> work, bool jwsOnly)
    {
        // 1. Shape: ASCII only, exactly two dots, three non-empty canonical base64url segments.
        int n = token.Length;
        Span<byte> ascii = work[..n];
        if (Ascii.FromUtf16(token, ascii, out _) != OperationStatus.Done)
        {
            return Fail(ValidationError.Malformed, "not ASCII");
        }

        int dot1 = ascii.IndexOf((byte)'.');
        int dot2 = dot1 < 0 ? -1 : ascii[(dot1 + 1)..].IndexOf((byte)'.') + dot1 + 1;
        if (dot1 <= 0 || dot2 <= dot1 + 1 || dot2 == n - 1 || ascii[(dot2 + 1)..].Contains((byte)'.'))
        {
            return Fail(ValidationError.Malformed, "not three non-empty segments");
        }

        ReadOnlySpan<byte> signingInput = ascii[..dot2];
        Span<byte> rest = work[n..];
        if (!Decode(ascii[..dot1], ref rest, out Span<byte> header)
            || !Decode(ascii[(dot1 + 1)..dot2], ref rest, out Span<byte> payload)
            || !Decode(ascii[(dot2 + 1)..], ref rest, out Span<byte> signature))
        {
            return Fail(ValidationError.Malformed, "not canonical base64url");
        }

        // What remains holds the unescaped names (scratch) and, behind them, the claim values.
        int scratch = Math.Max(header.Length, payload.Length);
        Span<byte> names = rest[..scratch];
        Span<byte> arena = rest[scratch..];
        if (!JoseHeader.TryRead(header, names, arena, out JoseHeader.Fields h))
        {
            return Fail(ValidationError.Malformed, "header is not a valid JOSE header");
        }

        // Copy alg and kid out of the arena: reading the claims reuses it. Values too long to
        // be any algorithm or any of our kids are not copied; steps 2 and 3 refuse them after the
        // payload has passed step 1.
        ReadOnlySpan<byte> algValue = h.Alg.Of(arena);
        bool algTooLong = algValue.Length > 16;
        bool kidTooLong = h.Kid.IsPresent && h.Kid.Length > MaxKidLength;
        Span<byte> alg = stackalloc byte[algTooLong ? 0 : algValue.Length];
        if (!algTooLong)
        {
            algValue.CopyTo(alg);
        }

        Span<byte> kid = stackalloc byte[h.Kid.IsPresent && !kidTooLong ? h.Kid.Length : 0];
        if (!kidTooLong)
        {
            h.Kid.Of(arena).CopyTo(kid);
        }

        // Keep typ at the start of the arena, where the claims reader will not overwrite it.
        ClaimSet claims = ClaimSet.Empty;
        int used = 0;
        if (h.Typ.IsPresent)
        {
            arena.Slice(h.Typ.Start, h.Typ.Length).CopyTo(arena);
            claims.Typ = new Utf8Slice(0, h.Typ.Length);
            used = h.Typ.Length;
        }

        if (!jwsOnly && !ClaimsReader.TryRead(payload, names, arena, ref used, ref claims))
        {
            return Fail(ValidationError.Malformed, "payload is not a JSON claims set");
        }

        // 2. Algorithm: exact, case-sensitive match on the allow-list ("none" never parses).
        if (algTooLong || !JwsAlgorithm.TryParse(alg, out JwsAlgorithm algorithm) || (_allowed & algorithm.Bit) == 0)
        {
            return Fail(ValidationError.InvalidAlgorithm, null);
        }

        // 3. Key: by exact kid; without a kid only a single-key set matches.
        KeySet keys = Keys;
        JwsKey? key = kidTooLong ? null : FindKey(keys, kid, h.Kid.IsPresent);
        if (key is null)
        {
            return Fail(ValidationError.UnknownKey, null);
        }

        if (key.Algorithm != algorithm)
        {
            // The algorithm comes from the key, never from the token (RFC 8725 §3.1).
            return Fail(ValidationError.InvalidAlgorithm, "key " + key.KeyId + " is bound to " + key.Algorithm.Name);
        }

        // 4. Signature over the header and payload as sent.
        if (!key.Verify(signingInput, signature))
        {
            return new ValidationResult(ValidationError.InvalidSignature, null, null, key);
        }

        if (jwsOnly)
        {
            return new ValidationResult(ValidationError.None, null, null, key);
        }

        return CheckAfterSignature(new TokenClaims(payload, arena[..used], in claims, key, keys));
    }

    private ValidationResult CheckAfterSignature(TokenClaims token)
    {
        ValidationError error = CheckType(token);
        string? detail = null;
        if (error == ValidationError.None)
        {
            error = CheckClaims(token, out detail);
        }

        if (error == ValidationError.None && _revocations is not null && token.JwtId is string jti && _revocations.IsRevoked(jti))
        {
            error = ValidationError.Revoked;
        }

        return new ValidationResult(error, detail, token, token.Key);
    }

    // 5. Type: RFC 9068 §4 and RFC 7515 §4.1.9 (media types compare case-insensitively; the
    // "application/" prefix may be present).
    private ValidationError CheckType(TokenClaims token)
    {
        if (!token.Set.Typ.IsPresent && _options.TypeMayBeAbsent)
        {
            return ValidationError.None;
        }

        ReadOnlySpan<byte> typ = token.Bytes(token.Set.Typ);
        if (typ.Length > 12 && Ascii.EqualsIgnoreCase(typ[..12], "application/"u8))
        {
            typ = typ[12..];
        }

        return token.Set.Typ.IsPresent && Ascii.EqualsIgnoreCase(typ, _type)
            ? ValidationError.None
            : ValidationError.InvalidType;
    }

    // 6. Registered claims (RFC 7519 §4.1, RFC 8725 §3.8–3.10).
    private ValidationError CheckClaims(TokenClaims token, out string? detail)
    {
        ref readonly ClaimSet c = ref token.Set;
        detail = c.TypeError;
        if (detail is not null)
        {
            return ValidationError.Malformed;
        }

        RegisteredClaims missing = _options.RequiredClaims & ~c.Present;
        if (missing != RegisteredClaims.None)
        {
            detail = ClaimName(missing);
            return ValidationError.MissingClaim;
        }

        long now = Now();
        if (c.HasExp && now >= c.Exp + _skew)
        {
            return ValidationError.Expired;
        }

        if (c.HasNbf && c.Nbf > now + _skew)
        {
            return ValidationError.NotYetValid;
        }

        if (c.HasIat && c.Iat > now + _skew)
        {
            detail = "iat is in the future";
            return ValidationError.NotYetValid;
        }

        long start = c.HasIat ? c.Iat : c.HasNbf ? c.Nbf : now;
        if (c.HasExp && c.Exp - start > _maxLifetime)
        {
            return ValidationError.LifetimeExceeded;
        }

        if (!token.Bytes(c.Iss).SequenceEqual(_issuer) || !c.Iss.IsPresent)
        {
            return ValidationError.InvalidIssuer;
        }

        for (int i = 0; i < c.AudCount; i++)
        {
            ReadOnlySpan<byte> aud = token.Bytes(c.Aud[i]);
            foreach (byte[] accepted in _audiences)
            {
                if (aud.SequenceEqual(accepted))
                {
                    return ValidationError.None;
                }
            }
        }

        return ValidationError.InvalidAudience;
    }

    private static JwsKey? FindKey(KeySet keys, ReadOnlySpan<byte> kid, bool hasKid)
    {
        if (!hasKid)
        {
            return keys.Keys.Count == 1 ? keys.Keys[0] : null;
        }

        Span<char> chars = stackalloc char[MaxKidLength];
        int count = Encoding.UTF8.GetChars(kid, chars);
        return keys.TryFind(chars[..count], out JwsKey key) ? key : null;
    }

    private static bool Decode(ReadOnlySpan<byte> encoded, ref Span<byte> rest, out Span<byte> decoded)
    {
        int length = Base64Url.DecodedLength(encoded.Length);
        decoded = rest[..length];
        rest = rest[length..];
        return Base64Url.TryDecode(encoded, decoded, out int written) && written == length;
    }

    private static string ClaimName(RegisteredClaims missing) =>
        (missing & (RegisteredClaims)(-(int)missing)) switch
        {
            RegisteredClaims.Issuer => "iss",
            RegisteredClaims.Subject => "sub",
            RegisteredClaims.Audience => "aud",
            RegisteredClaims.Expiration => "exp",
            RegisteredClaims.NotBefore => "nbf",
            RegisteredClaims.IssuedAt => "iat",
            _ => "jti",
        };

    private static ValidationResult Fail(ValidationError error, string? detail) => new(error, detail, null, null);

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();
}
