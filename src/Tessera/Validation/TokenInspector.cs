// Decodes a token without trusting it, for operators (`tessera inspect`). It runs the checks of
// the pipeline that need no key and no policy (SPEC.md §2 steps 1, 2 as far as "none" and
// unknown names, 5 against the default typ, 6 except iss/aud) and reports them all, not just the
// first. The signature is never checked and nothing here is evidence that a token is genuine.
using System.Text;
using Tessera.Algorithms;
using Tessera.Jose;

namespace Tessera.Validation;

/// <summary>Explains a token without verifying it.</summary>
public static class TokenInspector
{
    /// <summary>Decodes <paramref name="token"/> and lists what a default validator would refuse.</summary>
    public static TokenInspection Inspect(string token, TimeProvider time, int maxTokenSize = TokenSize.Default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(time);
        var findings = new List<string>();
        if (token.Length == 0 || token.Length > maxTokenSize)
        {
            findings.Add($"malformed: the token is {token.Length} bytes; the limit is {maxTokenSize}");
            return new TokenInspection(null, null, findings);
        }

        string[] parts = token.Split('.', 4);
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            findings.Add(parts.Length == 5 || (parts.Length == 4 && token.Count(c => c == '.') == 4)
                ? "malformed: five segments: this is a JWE, not a JWS"
                : "malformed: a token has exactly three non-empty segments");
            return new TokenInspection(null, null, findings);
        }

        byte[]? header = Base64Url.Decode(parts[0]);
        byte[]? payload = Base64Url.Decode(parts[1]);
        if (header is null || payload is null || Base64Url.Decode(parts[2]) is null)
        {
            findings.Add("malformed: a segment is not canonical base64url (padding, whitespace, wrong alphabet or trailing bits)");
        }

        string? headerText = header is null ? null : Encoding.UTF8.GetString(header);
        string? claimsText = payload is null ? null : Encoding.UTF8.GetString(payload);
        if (header is not null)
        {
            InspectHeader(header, findings);
        }

        if (payload is not null)
        {
            InspectClaims(payload, time.GetUtcNow().ToUnixTimeSeconds(), findings);
        }

        findings.Add("note: the signature was not checked; inspect never trusts a token");
        return new TokenInspection(headerText, claimsText, findings);
    }

    /// <summary>
    /// The <c>iss</c> of a token, read without verifying anything: only to choose which client's
    /// keys will verify it. Null when the token is not a well-formed JWS with a string iss.
    /// </summary>
    internal static string? UntrustedIssuer(string token)
    {
        if (token.Length > TokenSize.Default || token.Split('.') is not [_, string p, _] || Base64Url.Decode(p) is not byte[] payload)
        {
            return null;
        }

        byte[] names = new byte[payload.Length];
        byte[] arena = new byte[payload.Length];
        int used = 0;
        ClaimSet c = ClaimSet.Empty;
        return ClaimsReader.TryRead(payload, names, arena, ref used, ref c) && c.Iss.IsPresent
            ? Encoding.UTF8.GetString(c.Iss.Of(arena))
            : null;
    }

    private static void InspectHeader(byte[] header, List<string> findings)
    {
        byte[] names = new byte[header.Length];
        byte[] values = new byte[header.Length];
        if (!JoseHeader.TryRead(header, names, values, out JoseHeader.Fields h))
        {
            findings.Add("malformed: the header is not a strict JOSE header (JSON object, no duplicates, alg present, no crit/b64/zip/enc)");
            return;
        }

        ReadOnlySpan<byte> alg = h.Alg.Of(values);
        if (!JwsAlgorithm.TryParse(alg, out _))
        {
            findings.Add($"invalid_algorithm: alg '{Encoding.UTF8.GetString(alg)}' is not a supported algorithm ('none' is never accepted)");
        }

        ReadOnlySpan<byte> typ = h.Typ.Of(values);
        if (!h.Typ.IsPresent || !(Ascii.EqualsIgnoreCase(typ, JwtTypes.AccessToken) || Ascii.EqualsIgnoreCase(typ, "application/" + JwtTypes.AccessToken)))
        {
            findings.Add(h.Typ.IsPresent
                ? $"invalid_type: typ is '{Encoding.UTF8.GetString(typ)}'; validators require at+jwt by default"
                : "invalid_type: no typ; validators require at+jwt by default");
        }

        if (!h.Kid.IsPresent)
        {
            findings.Add("note: no kid; only a single-key set can verify this token");
        }
    }

    private static void InspectClaims(byte[] payload, long now, List<string> findings)
    {
        byte[] names = new byte[payload.Length];
        byte[] arena = new byte[payload.Length];
        int used = 0;
        ClaimSet c = ClaimSet.Empty;
        if (!ClaimsReader.TryRead(payload, names, arena, ref used, ref c))
        {
            findings.Add("malformed: the payload is not a strict JSON object (a claims set)");
            return;
        }

        if (c.TypeError is not null)
        {
            findings.Add($"malformed: claim {c.TypeError} has the wrong JSON type or range");
        }

        RegisteredClaims missing = RegisteredClaims.Default & ~c.Present;
        foreach (RegisteredClaims one in Enum.GetValues<RegisteredClaims>())
        {
            if (one is not (RegisteredClaims.None or RegisteredClaims.Default) && (missing & one) != 0)
            {
                findings.Add($"missing_claim: {one switch
                {
                    RegisteredClaims.Issuer => "iss",
                    RegisteredClaims.Subject => "sub",
                    RegisteredClaims.Audience => "aud",
                    RegisteredClaims.Expiration => "exp",
                    RegisteredClaims.IssuedAt => "iat",
                    RegisteredClaims.NotBefore => "nbf",
                    _ => "jti",
                }}");
            }
        }

        // A date claim of the wrong type is reported above; its value (0) is not a time to check.
        bool hasExp = c.HasExp && (c.BadDates & RegisteredClaims.Expiration) == 0;
        bool hasNbf = c.HasNbf && (c.BadDates & RegisteredClaims.NotBefore) == 0;
        bool hasIat = c.HasIat && (c.BadDates & RegisteredClaims.IssuedAt) == 0;
        if (hasExp && now >= c.Exp)
        {
            findings.Add($"expired: exp is {now - c.Exp} s in the past");
        }

        if (hasNbf && c.Nbf > now)
        {
            findings.Add($"not_yet_valid: nbf is {c.Nbf - now} s in the future");
        }

        if (hasIat && c.Iat > now)
        {
            findings.Add($"not_yet_valid: iat is {c.Iat - now} s in the future");
        }

        if (hasExp && hasIat && c.Exp - c.Iat > 3600)
        {
            findings.Add($"lifetime_exceeded: exp - iat is {c.Exp - c.Iat} s; the default maximum is 3600 s");
        }
    }
}
