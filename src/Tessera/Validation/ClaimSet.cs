// RFC 7519 §4.1: the registered claims, as read from a verified payload. Strings are slices of the
// owning TokenClaims buffer (already unescaped); NumericDates are whole seconds, rounded towards
// refusal: exp down, nbf and iat up (RFC 7519 §2 allows non-integer values).
using System.Runtime.CompilerServices;
using Tessera.Jose;

namespace Tessera.Validation;

internal struct ClaimSet
{
    public const int MaxAudiences = 32;

    public Utf8Slice Iss;
    public Utf8Slice Sub;
    public Utf8Slice Jti;
    public Utf8Slice ClientId;
    public Utf8Slice Scope;
    public Utf8Slice Typ;
    public Audiences Aud;
    public int AudCount;
    public bool HasAud;
    public long Exp;
    public long Nbf;
    public long Iat;
    public bool HasExp;
    public bool HasNbf;
    public bool HasIat;

    /// <summary>
    /// The date claims present with the wrong JSON type or out of range: their HasX is set (the
    /// claim is there) but their value is 0 and means nothing. Validation stops at
    /// <see cref="TypeError"/> before any time check; the inspector skips their time checks.
    /// </summary>
    public RegisteredClaims BadDates;

    /// <summary>The first claim with the wrong JSON type; reported at step 6 as malformed.</summary>
    public string? TypeError;

    public static ClaimSet Empty => new()
    {
        Iss = Utf8Slice.Absent,
        Sub = Utf8Slice.Absent,
        Jti = Utf8Slice.Absent,
        ClientId = Utf8Slice.Absent,
        Scope = Utf8Slice.Absent,
        Typ = Utf8Slice.Absent,
    };

    public readonly RegisteredClaims Present =>
        (Iss.IsPresent ? RegisteredClaims.Issuer : 0)
        | (Sub.IsPresent ? RegisteredClaims.Subject : 0)
        | (HasAud ? RegisteredClaims.Audience : 0)
        | (HasExp ? RegisteredClaims.Expiration : 0)
        | (HasNbf ? RegisteredClaims.NotBefore : 0)
        | (HasIat ? RegisteredClaims.IssuedAt : 0)
        | (Jti.IsPresent ? RegisteredClaims.JwtId : 0);

    /// <summary>Moves every slice by <paramref name="offset"/> (when copied behind the payload).</summary>
    public void Shift(int offset)
    {
        Iss = Move(Iss, offset);
        Sub = Move(Sub, offset);
        Jti = Move(Jti, offset);
        ClientId = Move(ClientId, offset);
        Scope = Move(Scope, offset);
        Typ = Move(Typ, offset);
        for (int i = 0; i < AudCount; i++)
        {
            Aud[i] = Move(Aud[i], offset);
        }
    }

    private static Utf8Slice Move(Utf8Slice s, int offset) => s.IsPresent ? s with { Start = s.Start + offset } : s;

    [InlineArray(MaxAudiences)]
    internal struct Audiences
    {
        private Utf8Slice _first;
    }
}
