// RFC 7515 §4.1 (registered header parameters), read strictly:
// - "alg", "typ", "kid", "cty" must be strings when present; "alg" is required (§4.1.1).
// - "crit" (§4.1.11) names extensions the recipient must understand. Tessera implements none, so
//   any "crit" (including an empty array or a registered name, both invalid per §4.1.11) is refused.
// - "b64" (RFC 7797) and the JWE-only "zip" and "enc" (RFC 7516 §4.1) make a JWS malformed.
// - "cty": "JWT" marks a nested JWT (RFC 7519 §5.2); nesting is not supported, so it is refused.
// - "jku", "x5u", "jwk", "x5c", "x5t" are read past and never used: keys come only from the key
//   set (RFC 8725 §3.10), and nothing in a header causes a network request.
using System.Text;
using System.Text.Json;

namespace Tessera.Jose;

internal static class JoseHeader
{
    /// <summary>Fields the pipeline uses; slices into the caller's value buffer.</summary>
    internal struct Fields
    {
        public Utf8Slice Alg;
        public Utf8Slice Typ;
        public Utf8Slice Kid;
    }

    /// <summary>Reads the header; false when it is malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, Span<byte> names, Span<byte> values, out Fields fields)
    {
        fields = new Fields { Alg = Utf8Slice.Absent, Typ = Utf8Slice.Absent, Kid = Utf8Slice.Absent };
        if (!StrictJson.IsPlausible(json))
        {
            return false;
        }

        Span<int> ends = stackalloc int[StrictJson.MaxNames];
        Span<int> frames = stackalloc int[StrictJson.MaxDepth + 1];
        var reader = new StrictJson(json, names, ends, frames);
        int used = 0;
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
                    break;
                }

                if (step == StrictJson.Step.Bad)
                {
                    return false;
                }

                if (name.SequenceEqual("alg"u8))
                {
                    if (!ReadString(ref reader, values, ref used, out fields.Alg))
                    {
                        return false;
                    }
                }
                else if (name.SequenceEqual("typ"u8))
                {
                    if (!ReadString(ref reader, values, ref used, out fields.Typ))
                    {
                        return false;
                    }
                }
                else if (name.SequenceEqual("kid"u8))
                {
                    if (!ReadString(ref reader, values, ref used, out fields.Kid))
                    {
                        return false;
                    }
                }
                else if (name.SequenceEqual("cty"u8))
                {
                    if (!ReadString(ref reader, values, ref used, out Utf8Slice cty)
                        || Ascii.EqualsIgnoreCase(cty.Of(values), "JWT"u8))
                    {
                        return false;
                    }
                }
                else if (name.SequenceEqual("crit"u8) || name.SequenceEqual("b64"u8)
                    || name.SequenceEqual("zip"u8) || name.SequenceEqual("enc"u8))
                {
                    return false;
                }
                else if (!reader.SkipValue())
                {
                    return false;
                }
            }

            return fields.Alg.IsPresent && reader.Close();
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

    private static bool ReadString(ref StrictJson reader, Span<byte> values, ref int used, out Utf8Slice slice)
    {
        slice = Utf8Slice.Absent;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        int n = reader.CopyString(values[used..]);
        slice = new Utf8Slice(used, n);
        used += n;
        return true;
    }
}
