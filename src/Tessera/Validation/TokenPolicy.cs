// Steps 5 and 6 of the pipeline (docs/SPEC.md §2): a validator's policy applied to a token whose
// signature has been verified (or that was verified before, for a repeat). Type: RFC 9068 §4 and
// RFC 7515 §4.1.9. Registered claims: RFC 7519 §4.1, RFC 8725 §3.8–3.10.
// The strings to compare are encoded once, here, so neither step allocates.
using System.Text;

namespace Tessera.Validation;

internal sealed class TokenPolicy
{
    private readonly ValidationOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _issuer;
    private readonly byte[][] _audiences;
    private readonly byte[] _type;
    private readonly long _skew;
    private readonly long _maxLifetime;

    public TokenPolicy(ValidationOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _issuer = Encoding.UTF8.GetBytes(options.Issuer);
        _audiences = [.. options.Audiences.Select(Encoding.UTF8.GetBytes)];
        _type = Encoding.UTF8.GetBytes(options.Type);
        _skew = (long)options.ClockSkew.TotalSeconds;
        _maxLifetime = (long)options.MaxLifetime.TotalSeconds;
    }

    /// <summary>Step 5: typ (media types compare case-insensitively; "application/" may prefix it).</summary>
    public ValidationError CheckType(TokenClaims token)
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

    /// <summary>Step 6: claim types, required claims, times against the clock, lifetime, iss, aud.</summary>
    public ValidationError CheckClaims(TokenClaims token, out string? detail)
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

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
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

    // The first missing claim, in the order of RegisteredClaims (lowest bit first).
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
}
