using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Tests.Support;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>docs/ATTACKS.md section A: serialization, base64url and JSON parsing. All are step 1: malformed.</summary>
internal static partial class AttackCatalog
{
    private static IEnumerable<AttackRow> SectionA() =>
    [
        new("A01", "Empty / whitespace-only token", "malformed for empty, blank, null and a bare Bearer scheme", _ => A01()),
        new("A02", "Two segments", "malformed: H.P without signature or trailing dot", _ => A02()),
        new("A03", "Four segments", "malformed: H.P.S. and H.P.S.xyz", _ => A03()),
        new("A04", "Empty header segment", "malformed: .P.S and P.S", _ => A04()),
        new("A05", "Empty payload (detached content)", "malformed: H..S where S genuinely covers the real payload", _ => A05()),
        new("A06", "5-part JWE given where a JWS is expected", "malformed: a real RSA-OAEP/A256GCM JWE to the validator's own public key; and RFC 7520 §5.2's JWE (tests/vectors/rfc_examples.json)", _ => A06()),
        new("A07", "JSON serialization (flattened or general)", "malformed: genuinely signed flattened and general JSON forms", _ => A07()),
        new("A08", "Compact/JSON polyglot (CVE-2022-39227)", "malformed: the python-jwt polyglot built from a valid token", _ => A08()),
        new("A09", "= padding", "malformed: '=' / '==' / %3D on each segment", _ => A09()),
        new("A10", "Standard base64 alphabet", "malformed: '+' and '/' in place of '-' and '_'", _ => A10()),
        new("A11", "Whitespace inside or around segments", "malformed: space, TAB, CR, LF around and inside", _ => A11()),
        new("A12", "Illegal characters", "malformed: ? # * . %00 NUL and non-ASCII inside segments", _ => A12()),
        new("A13", "Non-canonical trailing bits", "malformed: unused low bits set in header, payload and signatures of every family", _ => A13()),
        new("A14", "Segment length ≡ 1 (mod 4)", "malformed: one character dropped or added", _ => A14()),
        new("A15", "Header is not a JSON object", "malformed: [] \"RS256\" null 1 true, signed", _ => A15()),
        new("A16", "Payload is not a JSON object", "malformed: text, array, string, number payloads with valid signatures", _ => A16()),
        new("A17", "Invalid UTF-8 / lone surrogates", "malformed: overlong, encoded surrogate, stray bytes, \\ud800 escapes", _ => A17()),
        new("A18", "UTF-8 BOM before JSON", "malformed: BOM before the header or the payload, signed", _ => A18()),
        new("A19", "Duplicate member names in header", "malformed: duplicate alg, kid, typ, and nested duplicates; the same name in a nested object and its parent is accepted", _ => A19()),
        new("A20", "Duplicate claims in payload", "malformed: duplicate sub, exp, aud, custom and nested; the same name in a nested object and its parent (RFC 8693 act.sub) is accepted", _ => A20()),
        new("A21", "Escaped-name duplicates", "malformed: names compared after unescaping (\\u0061lg, \\u0065xp); an escaped name alone still counts", _ => A21()),
        new("A22", "Non-strict JSON", "malformed: trailing commas, comments, quotes, NaN, bare keys, trailing bytes, leading zeros", _ => A22()),
        new("A23", "Deep JSON nesting (DoS)", "malformed above depth 32 (header and payload); depth 32 itself accepted", _ => A23()),
        new("A24", "Oversized token (DoS)", "malformed: 1, 8 and 64 MB; 8193 bytes; over 512 member names; the 8192-byte boundary accepted", _ => A24()),
        new("A25", "Many dots (DoS)", "malformed: a million dots, with and without Bearer", _ => A25()),
        new("A26", "zip in a JWS header", "malformed: zip DEF with a deflated or plain payload", _ => A26()),
        new("A27", "b64:false (RFC 7797)", "malformed: b64 false/true, detached, attached 4-segment and raw forms", _ => A27()),
        new("A28", "Unknown crit extension", "malformed: RFC 7515 App. E and the same with a valid ES256 signature", _ => A28()),
        new("A29", "Malformed crit", "malformed: [], string, registered name, duplicate, absent name, null", _ => A29()),
        new("A30", "JWE parameters in a JWS header", "enc → malformed; JWE alg values (dir, RSA-OAEP…) → invalid_algorithm", _ => A30()),
    ];

    private static IEnumerable<AttackCase> A01()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        yield return Refuse("empty string", v, "", Malformed);
        yield return Refuse("one space", v, " ", Malformed);
        yield return Refuse("TAB CR LF", v, "\t\r\n", Malformed);
        yield return Refuse("'Bearer ' with nothing after it", v, "Bearer ", Malformed);
        yield return Refuse("null", v, null, Malformed);
        yield return Refuse("'Bearer ' + a valid token (the core takes the bare token)", v, "Bearer " + Tokens.Valid(es), Malformed);
    }

    private static IEnumerable<AttackCase> A02()
    {
        foreach (string alg in new[] { "ES256", "HS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            yield return Refuse(alg + " H.P", V(key), H(t) + "." + P(t), Malformed);
            yield return Refuse(alg + " H.S", V(key), H(t) + "." + S(t), Malformed);
        }
    }

    private static IEnumerable<AttackCase> A03()
    {
        JwsKey key = Key("ES256");
        string t = Tokens.Valid(key);
        yield return Refuse("H.P.S.", V(key), t + ".", Malformed);
        yield return Refuse("H.P.S.xyz", V(key), t + ".xyz", Malformed);
        yield return Refuse("H.P.S.S", V(key), t + "." + S(t), Malformed);
        yield return Refuse(".H.P.S", V(key), "." + t, Malformed);
    }

    private static IEnumerable<AttackCase> A04()
    {
        foreach (string alg in new[] { "ES256", "HS256" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            yield return Refuse(alg + " .P.S", V(key), "." + P(t) + "." + S(t), Malformed);
            yield return Refuse(alg + " P.S (header dropped)", V(key), P(t) + "." + S(t), Malformed);
            yield return Refuse(alg + " ..S", V(key), ".." + S(t), Malformed);
        }
    }

    private static IEnumerable<AttackCase> A05()
    {
        foreach (string alg in new[] { "HS256", "ES256", "RS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key); // S covers H.P: the detached form H..S has a genuine signature
            yield return Refuse(alg + " H..S", V(key), H(t) + ".." + S(t), Malformed);
        }
    }

    private static IEnumerable<AttackCase> A06()
    {
        JwsKey rs = Key("RS256");
        yield return Refuse("RSA-OAEP/A256GCM JWE to the validator's RS256 key, forged claims", V(rs), Jwe.ToPublicKey(rs, "RSA-OAEP", Claims(("sub", Q("admin")))), Malformed);
        yield return Refuse("RSA-OAEP-256/A256GCM JWE", V(rs), Jwe.ToPublicKey(rs, "RSA-OAEP-256", Claims()), Malformed);
        yield return Refuse("JWE with only four dots but empty encrypted key (dir)", V(rs), Jwe.Direct(Claims()), Malformed);
        using JsonDocument doc = TestVectors.ParseJson("rfc_examples.json");
        JsonElement entry = doc.RootElement.GetProperty("examples").EnumerateArray().First(e => e.GetProperty("name").GetString() == "RFC7520-5.2-JWE-5-part");
        yield return Refuse("RFC 7520 §5.2 compact JWE (vector)", V(rs), entry.GetProperty("token").GetString()!, Malformed);
    }

    private static IEnumerable<AttackCase> A07()
    {
        JwsKey es = Key("ES256");
        string t = Tokens.Valid(es);
        string flattened = $"{{\"payload\":\"{P(t)}\",\"protected\":\"{H(t)}\",\"header\":{{\"kid\":{Q(es.KeyId)}}},\"signature\":\"{S(t)}\"}}";
        yield return Refuse("flattened JSON, genuinely signed", V(es), flattened, Malformed);
        string general = $"{{\"payload\":\"{P(t)}\",\"signatures\":[{{\"protected\":\"{H(t)}\",\"signature\":\"{S(t)}\"}}]}}";
        yield return Refuse("general JSON, one signature", V(es), general, Malformed);
        JwsKey ed = Key("EdDSA");
        string t2 = Tokens.Sign(ed, Header(ed), Tokens.Claims());
        string multi = $"{{\"payload\":\"{P(t)}\",\"signatures\":[{{\"protected\":\"{H(t)}\",\"signature\":\"{S(t)}\"}},{{\"protected\":\"{H(t2)}\",\"signature\":\"{S(t2)}\"}}]}}";
        yield return Refuse("general JSON, two signatures", V(es), multi, Malformed);
        string noAlg = Sign(es, "{\"typ\":\"at+jwt\"}", Claims());
        string unprotectedAlg = $"{{\"payload\":\"{P(noAlg)}\",\"protected\":\"{H(noAlg)}\",\"header\":{{\"alg\":\"ES256\",\"kid\":{Q(es.KeyId)}}},\"signature\":\"{S(noAlg)}\"}}";
        yield return Refuse("alg and kid only in the unprotected header", V(es), unprotectedAlg, Malformed);
    }

    private static IEnumerable<AttackCase> A08()
    {
        JwsKey es = Key("ES256");
        string t = Tokens.Valid(es);
        string forged = Tokens.B64(Claims(("sub", Q("admin")), ("scope", Q("admin"))));
        string polyglot = $"{{\"  {H(t)}.{forged}.\":\"\",\"protected\":\"{H(t)}\",\"payload\":\"{P(t)}\",\"signature\":\"{S(t)}\"}}";
        yield return Refuse("python-jwt polyglot", V(es), polyglot, Malformed);
        yield return Refuse("polyglot without the leading spaces", V(es), polyglot.Replace("\"  ", "\"", StringComparison.Ordinal), Malformed);
    }

    private static IEnumerable<AttackCase> A09()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string t = Tokens.Valid(es);
        yield return Refuse("H=", v, WithSegment(t, 0, H(t) + "="), Malformed);
        yield return Refuse("H==", v, WithSegment(t, 0, H(t) + "=="), Malformed);
        yield return Refuse("P=", v, WithSegment(t, 1, P(t) + "="), Malformed);
        yield return Refuse("S== (the correct RFC 4648 padding for 64 bytes)", v, WithSegment(t, 2, S(t) + "=="), Malformed);
        yield return Refuse("S=", v, WithSegment(t, 2, S(t) + "="), Malformed);
        yield return Refuse("S%3D%3D (URL-encoded padding)", v, WithSegment(t, 2, S(t) + "%3D%3D"), Malformed);
        yield return Refuse("token=", v, t + "=", Malformed);
        JwsKey hs = Key("HS256");
        string th = Tokens.Valid(hs);
        yield return Refuse("HS256 S= (the correct padding for 32 bytes)", V(hs), WithSegment(th, 2, S(th) + "="), Malformed);
    }

    private static IEnumerable<AttackCase> A10()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string t = TokenWhere(() => Tokens.Valid(es), x => S(x).Contains('-') && S(x).Contains('_'));
        yield return Refuse("'-' → '+' in S", v, WithSegment(t, 2, S(t).Replace('-', '+')), Malformed);
        yield return Refuse("'_' → '/' in S", v, WithSegment(t, 2, S(t).Replace('_', '/')), Malformed);
        yield return Refuse("both in S", v, WithSegment(t, 2, S(t).Replace('-', '+').Replace('_', '/')), Malformed);
        // '~' and '?' (0x7E, 0x3F) end in 111110 and 111111: three in a row put one at every alignment.
        string tp = TokenWhere(() => Tok(es, ("note", Q("~~~???"))), x => P(x).Contains('-') && P(x).Contains('_'));
        yield return Refuse("standard alphabet in P", v, WithSegment(tp, 1, P(tp).Replace('-', '+').Replace('_', '/')), Malformed);
    }

    private static IEnumerable<AttackCase> A11()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string t = Tokens.Valid(es);
        string h = H(t), p = P(t), s = S(t);
        yield return Refuse("leading space", v, " " + t, Malformed);
        yield return Refuse("trailing space", v, t + " ", Malformed);
        yield return Refuse("trailing LF", v, t + "\n", Malformed);
        yield return Refuse("trailing CRLF", v, t + "\r\n", Malformed);
        yield return Refuse("leading TAB", v, "\t" + t, Malformed);
        yield return Refuse("H + 4 spaces before the dot", v, h + "    ." + p + "." + s, Malformed);
        yield return Refuse("S with 4 leading spaces", v, h + "." + p + ".    " + s, Malformed);
        yield return Refuse("space inside S", v, h + "." + p + "." + Insert(s, 20, " "), Malformed);
        yield return Refuse("LF inside P", v, h + "." + Insert(p, 10, "\n") + "." + s, Malformed);
        yield return Refuse("CR inside H", v, Insert(h, 5, "\r") + "." + p + "." + s, Malformed);
        yield return Refuse("TAB inside S", v, h + "." + p + "." + Insert(s, 40, "\t"), Malformed);
        yield return Refuse("NBSP inside S", v, h + "." + p + "." + Insert(s, 40, "\u00a0"), Malformed);
    }

    private static IEnumerable<AttackCase> A12()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string t = Tokens.Valid(es);
        string[] bad = ["?", "#", "*", "!", "$", "%00", "\0", "é", "€", "\ud83d\ude00", "\ud800", "\uffff", "=", "+", "/", "\\", "\""];
        foreach (string c in bad)
        {
            string shown = Escape(c);
            yield return Refuse($"{shown} inside S", v, WithSegment(t, 2, Insert(S(t), 30, c)), Malformed);
            yield return Refuse($"{shown} inside H", v, WithSegment(t, 0, Insert(H(t), 8, c)), Malformed);
            yield return Refuse($"{shown} inside P", v, WithSegment(t, 1, Insert(P(t), 8, c)), Malformed);
        }

        yield return Refuse("'.' inside S", v, WithSegment(t, 2, Insert(S(t), 30, ".")), Malformed);
        yield return Refuse("fullwidth letter replacing one in S", v, WithSegment(t, 2, S(t)[..10] + "\uff21" + S(t)[11..]), Malformed);
    }

    private static IEnumerable<AttackCase> A13()
    {
        foreach (string alg in new[] { "HS256", "HS384", "ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            if (S(t).Length % 4 is 2 or 3)
            {
                yield return Refuse(alg + " signature with unused bits set (same bytes)", V(key), WithSegment(t, 2, NonCanonicalTail(S(t))), Malformed);
            }
        }

        JwsKey es = Key("ES256");
        string th = TokenWhere(() => Sign(es, Header(es, extra: "\"x\":\"" + new string('a', Random.Shared.Next(3)) + "\""), Claims()), x => H(x).Length % 4 is 2 or 3);
        yield return Refuse("header with unused bits set", V(es), WithSegment(th, 0, NonCanonicalTail(H(th))), Malformed);
        string tp = TokenWhere(() => Tok(es, ("jti", Q("id-" + new string('a', Random.Shared.Next(3))))), x => P(x).Length % 4 is 2 or 3);
        yield return Refuse("payload with unused bits set", V(es), WithSegment(tp, 1, NonCanonicalTail(P(tp))), Malformed);
    }

    private static IEnumerable<AttackCase> A14()
    {
        JwsKey es = Key("ES256");
        string t = Tokens.Valid(es); // S is 86 characters: ≡ 2 (mod 4)
        yield return Refuse("S minus its last character (85 ≡ 1)", V(es), WithSegment(t, 2, S(t)[..^1]), Malformed);
        string th = TokenWhere(() => Sign(es, Header(es, extra: "\"x\":\"" + new string('a', Random.Shared.Next(4)) + "\""), Claims()), x => H(x).Length % 4 == 2);
        yield return Refuse("H minus its last character", V(es), WithSegment(th, 0, H(th)[..^1]), Malformed);
        string tp = TokenWhere(() => Tok(es, ("jti", Q("id-" + new string('a', Random.Shared.Next(4))))), x => P(x).Length % 4 == 0);
        yield return Refuse("P plus one character (≡ 1)", V(es), WithSegment(tp, 1, P(tp) + "A"), Malformed);
        JwsKey rs = Key("RS256");
        string tr = Tokens.Valid(rs);
        yield return Refuse("RS256 S minus its last character", V(rs), WithSegment(tr, 2, S(tr)[..^1]), Malformed);
    }

    private static IEnumerable<AttackCase> A15()
    {
        JwsKey es = Key("ES256");
        foreach (string header in new[] { "[]", "\"ES256\"", "null", "1", "true", "[{\"alg\":\"ES256\"}]", "\"\"" })
        {
            yield return Refuse("header " + header, V(es), Sign(es, header, Claims()), Malformed);
        }

        yield return Refuse("header empty (zero bytes)", V(es), Tokens.SignEncoded(es, "." + Tokens.B64(Claims())), Malformed);
    }

    private static IEnumerable<AttackCase> A16()
    {
        string[] payloads =
        [
            "Payload",
            "It\u2019s a dangerous business, Frodo, going out your door.",
            "[]",
            "[{\"iss\":\"https://auth.test\"}]",
            "\"a string\"",
            "1800000000",
            "null",
            "true",
        ];
        foreach (string alg in new[] { "ES256", "RS256", "HS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            foreach (string payload in payloads)
            {
                yield return Refuse($"{alg} payload {Shorten(payload)}", V(key), Sign(key, Header(key), payload), Malformed);
            }
        }
    }

    private static IEnumerable<AttackCase> A17()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        byte[][] badBytes = [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xE2, 0x82], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
        foreach (byte[] bad in badBytes)
        {
            string hex = Convert.ToHexString(bad);
            byte[] header = [.. Utf8(Header(es, extra: "\"x\":\"").TrimEnd('}')), .. bad, .. "\"}"u8];
            yield return Refuse($"bytes {hex} in a header string", v, SignBytes(es, header, Utf8(Claims())), Malformed);
            byte[] payload = [.. Utf8(Claims()[..^1] + ",\"sub2\":\""), .. bad, .. "\"}"u8];
            yield return Refuse($"bytes {hex} in a claim string", v, SignBytes(es, Utf8(Header(es)), payload), Malformed);
            byte[] subPayload = [.. Utf8(Claims(("sub", null)) [..^1] + ",\"sub\":\"dev"), .. bad, .. "\"}"u8];
            yield return Refuse($"bytes {hex} in sub", v, SignBytes(es, Utf8(Header(es)), subPayload), Malformed);
        }

        foreach (string escape in new[] { "\\ud800", "\\udc00", "\\ud800\\u0041", "\\udbff\\udbff", "a\\ud800" })
        {
            yield return Refuse($"sub \"{escape}\"", v, Sign(es, Header(es), Claims(("sub", "\"" + escape + "\""))), Malformed);
            yield return Refuse($"custom claim \"{escape}\"", v, Sign(es, Header(es), Claims(("note", "\"" + escape + "\""))), Malformed);
            yield return Refuse($"header member \"{escape}\"", v, Sign(es, Header(es, extra: "\"x\":\"" + escape + "\""), Claims()), Malformed);
        }

        yield return Refuse("kid \"\\ud800\"", v, Sign(es, Header("ES256", null, extra: "\"kid\":\"\\ud800\""), Claims()), Malformed);
        yield return Refuse("lone surrogate in a claim name", v, Sign(es, Header(es), Claims()[..^1] + ",\"\\ud800x\":1}"), Malformed);
        yield return Refuse("lone surrogate in a header member name", v, Sign(es, Header(es, extra: "\"\\udc00\":1"), Claims()), Malformed);
    }

    private static IEnumerable<AttackCase> A18()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        foreach (string alg in new[] { "ES256", "HS256" })
        {
            JwsKey key = Key(alg);
            yield return Refuse(alg + " BOM before the header", V(key), SignBytes(key, [.. bom, .. Utf8(Header(key))], Utf8(Claims())), Malformed);
            yield return Refuse(alg + " BOM before the payload", V(key), SignBytes(key, Utf8(Header(key)), [.. bom, .. Utf8(Claims())]), Malformed);
            yield return Refuse(alg + " UTF-16LE BOM and text", V(key), SignBytes(key, Utf8(Header(key)), [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Claims())]), Malformed);
        }
    }

    private static IEnumerable<AttackCase> A19()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string kid = Q(es.KeyId);
        yield return Refuse("alg twice (ES256 then HS256)", v, Sign(es, $"{{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":{kid},\"alg\":\"HS256\"}}", Claims()), Malformed);
        yield return Refuse("alg twice (same value)", v, Sign(es, $"{{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":{kid},\"alg\":\"ES256\"}}", Claims()), Malformed);
        yield return Refuse("kid twice (real then ../../x)", v, Sign(es, $"{{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":{kid},\"kid\":\"../../x\"}}", Claims()), Malformed);
        yield return Refuse("kid twice (../../x then real)", v, Sign(es, $"{{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"../../x\",\"kid\":{kid}}}", Claims()), Malformed);
        yield return Refuse("typ twice", v, Sign(es, $"{{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":{kid},\"typ\":\"at+jwt\"}}", Claims()), Malformed);
        yield return Refuse("unknown member twice", v, Sign(es, Header(es, extra: "\"x\":1,\"x\":2"), Claims()), Malformed);
        yield return Refuse("duplicate inside a nested object", v, Sign(es, Header(es, extra: "\"x\":{\"a\":1,\"a\":2}"), Claims()), Malformed);

        // Controls: a name reused in a different object is not a duplicate (RFC 8259 §4 is per object).
        yield return Accept("control: alg inside an embedded jwk, then the header's own alg", v, Sign(es, $"{{\"jwk\":{{\"kty\":\"EC\",\"alg\":\"ES256\"}},\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":{kid}}}", Claims()));
        yield return Accept("control: the header's alg, then alg inside an embedded jwk", v, Sign(es, Header(es, extra: "\"jwk\":{\"kty\":\"EC\",\"alg\":\"ES256\"}"), Claims()));
    }

    private static IEnumerable<AttackCase> A20()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        yield return Refuse("sub twice", v, Sign(es, Header(es), Claims(("sub", Q("alice")))[..^1] + ",\"sub\":\"admin\"}"), Malformed);
        yield return Refuse("exp twice (1 then far future)", v, Sign(es, Header(es), Claims(("exp", "1"))[..^1] + $",\"exp\":{Now + 300}}}"), Malformed);
        yield return Refuse("exp twice (same value)", v, Sign(es, Header(es), Claims()[..^1] + $",\"exp\":{Now + 300}}}"), Malformed);
        yield return Refuse("aud twice", v, Sign(es, Header(es), Claims(("aud", Q("other")))[..^1] + ",\"aud\":\"api\"}"), Malformed);
        yield return Refuse("iss twice", v, Sign(es, Header(es), Claims()[..^1] + ",\"iss\":\"https://evil.test\"}"), Malformed);
        yield return Refuse("custom claim twice", v, Sign(es, Header(es), Claims(("role", Q("user")))[..^1] + ",\"role\":\"admin\"}"), Malformed);
        yield return Refuse("duplicate inside a nested claim", v, Sign(es, Header(es), Claims(("cnf", "{\"jkt\":\"a\",\"jkt\":\"b\"}"))), Malformed);
        yield return Refuse("duplicate inside an object in an array", v, Sign(es, Header(es), Claims(("x", "[{\"a\":1,\"a\":2}]"))), Malformed);

        // Controls: a name reused in a different object is not a duplicate (RFC 8259 §4 is per object).
        yield return Accept("control: RFC 8693 act {sub} before the top-level sub", v, Sign(es, Header(es), "{\"act\":{\"sub\":\"agent-7\"}," + Claims()[1..]));
        yield return Accept("control: act {sub} after the top-level sub", v, Sign(es, Header(es), Claims(("act", "{\"sub\":\"agent-7\"}"))));
        yield return Accept("control: [{y}] before a top-level y", v, Sign(es, Header(es), "{\"x\":[{\"y\":1}],\"y\":2," + Claims()[1..]));
        yield return Accept("control: sibling objects with the same names", v, Sign(es, Header(es), Claims(("x", "[{\"a\":1},{\"a\":2}]"), ("z", "{\"a\":{\"a\":1}}"))));
    }

    private static IEnumerable<AttackCase> A21()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string kid = Q(es.KeyId);
        yield return Refuse("header alg and \\u0061lg", v, Sign(es, $"{{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":{kid},\"\\u0061lg\":\"none\"}}", Claims()), Malformed);
        yield return Refuse("header \\u006bid and kid", v, Sign(es, $"{{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"\\u006bid\":\"x\",\"kid\":{kid}}}", Claims()), Malformed);
        yield return Refuse("claims exp and \\u0065xp", v, Sign(es, Header(es), Claims()[..^1] + ",\"\\u0065xp\":9999999999}"), Malformed);
        yield return Refuse("claims sub and \\u0073\\u0075\\u0062", v, Sign(es, Header(es), Claims()[..^1] + ",\"\\u0073\\u0075\\u0062\":\"admin\"}"), Malformed);
        yield return Refuse("claims with \\/ escape: a\\/b and a/b", v, Sign(es, Header(es), Claims(("a/b", "1"))[..^1] + ",\"a\\/b\":2}"), Malformed);
        // Control: an escaped name with no twin is the claim itself (proves names are unescaped).
        string escapedSub = Claims(("sub", null))[..^1] + ",\"\\u0073ub\":\"device-1\"}";
        yield return Accept("control: \\u0073ub alone is sub", v, Sign(es, Header(es), escapedSub));
        yield return Refuse("escaped \\u0073ub with an empty value is sub, so it is malformed like sub \"\"", v, Sign(es, Header(es), Claims(("sub", null))[..^1] + ",\"\\u0073ub\":\"\"}"), Malformed);
    }

    private static IEnumerable<AttackCase> A22()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string c = Claims();
        string body = c[1..^1];
        string[] payloads =
        [
            "{" + body + ",}",
            "{" + body + "//c\n}",
            "{" + body + "/*c*/}",
            "{" + body.Replace("\"iss\"", "'iss'", StringComparison.Ordinal) + "}",
            "{" + body + ",\"x\":NaN}",
            "{" + body + ",\"x\":Infinity}",
            "{" + body + ",\"x\":-Infinity}",
            "{" + body.Replace("\"iss\"", "iss", StringComparison.Ordinal) + "}",
            c + "xyz",
            c + "{}",
            c + "\0",
            "{" + body + ",\"x\":0123}",
            "{" + body + ",\"x\":+1}",
            "{" + body + ",\"x\":.5}",
            "{" + body + ",\"x\":1.}",
            "{" + body + ",\"x\":0x10}",
            "{" + body + ",\"x\":True}",
            "{" + body + ",\"x\":\"a\tb\"}",
            "{" + body + ",\"x\":\"\\x41\"}",
            "{" + body + ",\"x\":'single'}",
            "{" + body + ",,\"x\":1}",
            "{" + body,
        ];
        foreach (string payload in payloads)
        {
            yield return Refuse("payload " + Shorten(payload[^Math.Min(24, payload.Length)..]), v, Sign(es, Header(es), payload), Malformed);
        }

        string h = Header(es);
        yield return Refuse("header trailing comma", v, Sign(es, h[..^1] + ",}", c), Malformed);
        yield return Refuse("header trailing bytes", v, Sign(es, h + "xyz", c), Malformed);
        yield return Refuse("header comment", v, Sign(es, h[..^1] + "/*x*/}", c), Malformed);
        yield return Refuse("header single quotes", v, Sign(es, h.Replace("\"alg\"", "'alg'", StringComparison.Ordinal), c), Malformed);
    }

    private static IEnumerable<AttackCase> A23()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        // The root object is level 1: 31 nested arrays make depth 32, the limit.
        yield return Accept("control: payload depth exactly 32", v, Sign(es, Header(es), Claims(("x", Nest(31)))));
        yield return Refuse("payload depth 33", v, Sign(es, Header(es), Claims(("x", Nest(32)))), Malformed);
        yield return Refuse("payload depth 65", v, Sign(es, Header(es), Claims(("x", Nest(64)))), Malformed);
        yield return Refuse("payload depth 2001 (under the size limit)", v, Sign(es, Header(es), Claims(("x", Nest(2000)))), Malformed);
        yield return Refuse("payload depth 10,001 (over the size limit too)", v, Sign(es, Header(es), Claims(("x", Nest(10_000)))), Malformed);
        yield return Refuse("header nested objects, depth 40", v, Sign(es, Header(es, extra: "\"x\":" + NestObjects(39)), Claims()), Malformed);
        yield return Refuse("header nested arrays, depth 1000", v, Sign(es, Header(es, extra: "\"x\":" + Nest(999)), Claims()), Malformed);
        yield return Refuse("nesting in aud", v, Sign(es, Header(es), Claims(("aud", Nest(40)))), Malformed);
    }

    private static IEnumerable<AttackCase> A24()
    {
        JwsKey hs = Key("HS256");
        JwsKey es = Key("ES256");
        yield return Refuse("1 MB kid, signed", V(hs), Sign(hs, Header("HS256", new string('k', 1 << 20)), Claims()), Malformed);
        yield return Refuse("8 MB string claim, signed", V(es), Sign(es, Header(es), Claims(("x", Q(new string('x', 8 << 20))))), Malformed);
        yield return Refuse("64 MB of base64url", V(es), Tokens.B64("{}") + "." + new string('A', 64 << 20) + "." + S(Tokens.Valid(es)), Malformed);
        string claims = string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"c{i}\":{i}"));
        yield return Refuse("100,000 claims, signed", V(hs), Sign(hs, Header(hs), Claims(("x", "{" + claims + "}"))), Malformed);
        string many = string.Join(",", Enumerable.Range(0, 600).Select(i => $"\"c{i}\":1"));
        string manyToken = Sign(es, Header(es), Claims()[..^1] + "," + many + "}");
        yield return Property("600 claims fit under 8 KiB (so the next case tests the name cap, not the size)", () => Assert.True(manyToken.Length <= 8192, "length " + manyToken.Length));
        yield return Refuse("600 member names in 8 KiB (cap 512)", V(es), manyToken, Malformed);
        string exact = Sized(es, 8192);
        yield return Property("boundary token is exactly 8192 characters", () => Assert.Equal(8192, exact.Length));
        yield return Accept("control: exactly 8192 characters", V(es), exact);
        yield return Refuse("8193 characters, signed", V(es), Sized(es, 8193), Malformed);
        yield return Refuse("over a lowered MaxTokenSize (1024)", V(es, o => o with { MaxTokenSize = 1024 }), Sized(es, 1025), Malformed);
    }

    private static IEnumerable<AttackCase> A25()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        yield return Refuse("'Bearer ' + 1,000,000 dots", v, "Bearer " + new string('.', 1_000_000), Malformed);
        yield return Refuse("1,000,000 dots", v, new string('.', 1_000_000), Malformed);
        yield return Refuse("8,000 dots (under the size limit)", v, new string('.', 8000), Malformed);
        yield return Refuse("two dots", v, "..", Malformed);
        yield return Refuse("a.b.c.d.e.f", v, "a.b.c.d.e.f", Malformed);
    }

    private static IEnumerable<AttackCase> A26()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        byte[] claims = Utf8(Claims());
        using var deflated = new MemoryStream();
        using (var z = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(claims);
        }

        yield return Refuse("zip DEF with a deflated payload", v, SignBytes(es, Utf8(Header(es, extra: "\"zip\":\"DEF\"")), deflated.ToArray()), Malformed);
        yield return Refuse("zip DEF with a plain payload", v, Sign(es, Header(es, extra: "\"zip\":\"DEF\""), Claims()), Malformed);
        yield return Refuse("zip null", v, Sign(es, Header(es, extra: "\"zip\":null"), Claims()), Malformed);
    }

    private static IEnumerable<AttackCase> A27()
    {
        JwsKey hs = Key("HS256");
        var v = V(hs);
        string kid = Q(hs.KeyId);
        string h = $"{{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":{kid},\"b64\":false,\"crit\":[\"b64\"]}}";
        string raw = Claims();
        string hb = Tokens.B64(h);
        string detachedMac = Tokens.B64(Hmac(JwsAlgorithm.HS256, SecretOf(hs), Utf8(hb + "." + raw)));
        yield return Refuse("b64:false, detached (H..S)", v, hb + ".." + detachedMac, Malformed);
        yield return Refuse("b64:false, attached $.02 (4 segments)", v, hb + ".$.02." + Tokens.B64(Hmac(JwsAlgorithm.HS256, SecretOf(hs), Utf8(hb + ".$.02"))), Malformed);
        string rawAscii = "abc";
        yield return Refuse("b64:false, attached raw payload that looks like base64url", v, hb + "." + rawAscii + "." + Tokens.B64(Hmac(JwsAlgorithm.HS256, SecretOf(hs), Utf8(hb + "." + rawAscii))), Malformed);
        yield return Refuse("b64:true without crit (RFC 7797 §4.1 shape)", v, Sign(hs, Header(hs, extra: "\"b64\":true"), Claims()), Malformed);
        yield return Refuse("b64:false without crit", v, Sign(hs, Header(hs, extra: "\"b64\":false"), Claims()), Malformed);
    }

    private static IEnumerable<AttackCase> A28()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        const string ext = "\"crit\":[\"http://example.com/UNDEFINED\"],\"http://example.com/UNDEFINED\":true";
        string appE = Tokens.B64("{\"alg\":\"none\"," + ext + "}") + "." + Tokens.B64(Claims()) + ".";
        yield return Refuse("RFC 7515 App. E shape, alg none, empty signature", v, appE, Malformed);
        yield return Refuse("App. E shape, alg none, with a signature", v, appE + "AAAA", Malformed);
        yield return Refuse("unknown crit with a valid ES256 signature", v, Sign(es, Header(es, extra: ext), Claims()), Malformed);
        JwsKey hs = Key("HS256");
        yield return Refuse("unknown crit with a valid HS256 MAC", V(hs), Sign(hs, Header(hs, extra: ext), Claims()), Malformed);
    }

    private static IEnumerable<AttackCase> A29()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string[] crits = ["\"crit\":[]", "\"crit\":\"b64\"", "\"crit\":[\"alg\"]", "\"crit\":[\"exp\",\"exp\"],\"exp\":1", "\"crit\":[\"x\"]", "\"crit\":null", "\"crit\":[1]", "\"crit\":{}"];
        foreach (string crit in crits)
        {
            yield return Refuse(crit, v, Sign(es, Header(es, extra: crit), Claims()), Malformed);
        }
    }

    private static IEnumerable<AttackCase> A30()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        yield return Refuse("ES256 with enc A256GCM", v, Sign(es, Header(es, extra: "\"enc\":\"A256GCM\""), Claims()), Malformed);
        foreach (string alg in new[] { "dir", "RSA-OAEP", "RSA-OAEP-256", "RSA1_5", "A128KW", "ECDH-ES", "PBES2-HS256+A128KW" })
        {
            yield return Refuse("alg " + alg + " on a 3-part token", v, Sign(es, Header(alg, es.KeyId), Claims()), InvalidAlgorithm);
        }

        yield return Refuse("alg dir with enc", v, Sign(es, Header("dir", es.KeyId, extra: "\"enc\":\"A256GCM\""), Claims()), Malformed);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static string Nest(int arrays) => new string('[', arrays) + "1" + new string(']', arrays);

    private static string NestObjects(int objects) =>
        string.Concat(Enumerable.Repeat("{\"a\":", objects)) + "1" + new string('}', objects);

    private static string Shorten(string s) => s.Length <= 24 ? s : s[..24] + "…";

    private static string Escape(string s) =>
        string.Concat(s.Select(ch => ch is < ' ' or > '~' ? $"\\u{(int)ch:x4}" : ch.ToString()));

    /// <summary>A valid ES256 token of exactly <paramref name="length"/> characters, padded through a claim and a header member.</summary>
    private static string Sized(JwsKey key, int length)
    {
        string claims = Claims(("pad", Q("")));
        for (int headerPad = 0; headerPad < 4; headerPad++)
        {
            string header = Header(key, extra: "\"x\":\"" + new string('h', headerPad) + "\"");
            int fixedPart = Tokens.B64(header).Length + 2 + S(Tokens.Valid(key)).Length;
            for (int pad = Math.Max(0, (length - fixedPart) * 3 / 4 - claims.Length - 8); pad < length; pad++)
            {
                string payload = Claims(("pad", Q(new string('p', pad))));
                int total = fixedPart + Tokens.B64(payload).Length;
                if (total == length)
                {
                    return Sign(key, header, payload);
                }

                if (total > length)
                {
                    break;
                }
            }
        }

        throw new InvalidOperationException("cannot size a token to " + length);
    }
}
