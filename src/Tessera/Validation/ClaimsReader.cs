// RFC 7519 §7.2 step 10: the payload of a JWT is a JSON object (a claims set). Read strictly (see
// StrictJson); registered claims are copied, unescaped, into the arena; their JSON types are
// checked here but a wrong type is only reported at pipeline step 6 (SPEC.md §2), after the
// signature. NumericDate range: 0 to 253402300799 (year 9999); anything else is a type error.
using System.Text.Json;
using Tessera.Jose;

namespace Tessera.Validation;

internal static class ClaimsReader
{
    private const double MaxNumericDate = 253402300799;

    /// <summary>Reads the claims set; false when the payload is not a strict JSON object.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, Span<byte> names, Span<byte> arena, ref int used, ref ClaimSet claims)
    {
        if (!StrictJson.IsPlausible(json))
        {
            return false;
        }

        Span<int> ends = stackalloc int[StrictJson.MaxNames];
        Span<int> frames = stackalloc int[StrictJson.MaxDepth + 1];
        var reader = new StrictJson(json, names, ends, frames);
        try
        {
            if (!reader.OpenObject())
            {
                return false;
            }

            while (true)
            {
                StrictJson.Step step = reader.NextMember(out ReadOnlySpan<byte> name);
                if (step == StrictJson.Step.End)
                {
                    return reader.Close();
                }

                if (step == StrictJson.Step.Bad || !ReadMember(ref reader, name, arena, ref used, ref claims))
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool ReadMember(ref StrictJson reader, ReadOnlySpan<byte> name, Span<byte> arena, ref int used, ref ClaimSet c)
    {
        switch (name)
        {
            case [(byte)'i', (byte)'s', (byte)'s']:
                c.Iss = String(ref reader, arena, ref used, "iss", ref c.TypeError);
                break;
            case [(byte)'s', (byte)'u', (byte)'b']:
                c.Sub = String(ref reader, arena, ref used, "sub", ref c.TypeError);
                NonEmpty(c.Sub, "sub", ref c.TypeError);
                break;
            case [(byte)'j', (byte)'t', (byte)'i']:
                c.Jti = String(ref reader, arena, ref used, "jti", ref c.TypeError);
                NonEmpty(c.Jti, "jti", ref c.TypeError);
                break;
            case [(byte)'e', (byte)'x', (byte)'p']:
                c.HasExp = true;
                c.Exp = Date(ref reader, "exp", roundUp: false, RegisteredClaims.Expiration, ref c);
                break;
            case [(byte)'n', (byte)'b', (byte)'f']:
                c.HasNbf = true;
                c.Nbf = Date(ref reader, "nbf", roundUp: true, RegisteredClaims.NotBefore, ref c);
                break;
            case [(byte)'i', (byte)'a', (byte)'t']:
                c.HasIat = true;
                c.Iat = Date(ref reader, "iat", roundUp: true, RegisteredClaims.IssuedAt, ref c);
                break;
            case [(byte)'a', (byte)'u', (byte)'d']:
                return Audience(ref reader, arena, ref used, ref c);
            default:
                if (name.SequenceEqual("client_id"u8))
                {
                    c.ClientId = String(ref reader, arena, ref used, "client_id", ref c.TypeError);
                }
                else if (name.SequenceEqual("scope"u8))
                {
                    c.Scope = String(ref reader, arena, ref used, "scope", ref c.TypeError);
                }
                else
                {
                    return reader.SkipValue();
                }

                break;
        }

        // A registered claim of the wrong type may still be an object or array: walk it.
        return reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.SkipValue();
    }

    private static bool Audience(ref StrictJson reader, Span<byte> arena, ref int used, ref ClaimSet c)
    {
        c.HasAud = true;
        if (reader.TokenType == JsonTokenType.String)
        {
            c.Aud[0] = String(ref reader, arena, ref used, "aud", ref c.TypeError);
            c.AudCount = 1;
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            c.TypeError ??= "aud";
            return reader.SkipValue();
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || c.AudCount == ClaimSet.MaxAudiences)
            {
                c.TypeError ??= "aud";
                if (!reader.SkipValue())
                {
                    return false;
                }

                continue;
            }

            c.Aud[c.AudCount++] = String(ref reader, arena, ref used, "aud", ref c.TypeError);
        }

        return true;
    }

    private static Utf8Slice String(ref StrictJson reader, Span<byte> arena, ref int used, string claim, ref string? typeError)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            typeError ??= claim;
            return Utf8Slice.Absent;
        }

        int n = reader.CopyString(arena[used..]);
        var slice = new Utf8Slice(used, n);
        used += n;
        return slice;
    }

    private static void NonEmpty(Utf8Slice value, string claim, ref string? typeError)
    {
        if (value is { IsPresent: true, Length: 0 })
        {
            typeError ??= claim;
        }
    }

    // A date of the wrong type or range is 0, noted as a type error and in BadDates.
    private static long Date(ref StrictJson reader, string claim, bool roundUp, RegisteredClaims which, ref ClaimSet c)
    {
        if (!reader.TryGetNumber(out double value) || value < 0 || value > MaxNumericDate)
        {
            c.TypeError ??= claim;
            c.BadDates |= which;
            return 0;
        }

        return (long)(roundUp ? Math.Ceiling(value) : Math.Floor(value));
    }
}
