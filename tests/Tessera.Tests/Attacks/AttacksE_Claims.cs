using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;
using Tessera.Validation;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>docs/ATTACKS.md section E: registered claims (step 6 of docs/SPEC.md §2), on genuinely signed tokens.</summary>
internal static partial class AttackCatalog
{
    private static IEnumerable<AttackRow> SectionE() =>
    [
        new("E01", "Expired", "expired at exp + skew", _ => E01()),
        new("E02", "exp boundary", "expired at now = exp + skew exactly (skew 0 and 30 s); one second earlier accepted", _ => E02()),
        new("E03", "exp missing", "missing_claim (docs/SPEC.md: required claims)", _ => E03()),
        new("E04", "Not yet valid", "not_yet_valid for nbf > now + skew; nbf = now and nbf = now + skew accepted", _ => E04()),
        new("E05", "iat in the future", "not_yet_valid (docs/SPEC.md: iat not in the future, with skew)", _ => E05()),
        new("E06", "Lifetime too long", "lifetime_exceeded when exp − iat > 60 min; exactly 60 min accepted", _ => E06()),
        new("E07", "NumericDate as string", "malformed", _ => E07()),
        new("E08", "NumericDate as float or exponent", "accepted (policy); exp rounds down and iat/nbf round up, toward refusal", _ => E08()),
        new("E09", "NumericDate extreme", "malformed for overflow, negative and past year 9999; 0 and -0 are expired", _ => E09()),
        new("E10", "NumericDate non-number JSON", "malformed", _ => E10()),
        new("E11", "Audience missing", "missing_claim (docs/SPEC.md: aud is required)", _ => E11()),
        new("E12", "Audience mismatch", "invalid_audience", _ => E12()),
        new("E13", "Audience array containing the expected value", "accepted (policy)", _ => E13()),
        new("E14", "Empty audience array", "invalid_audience", _ => E14()),
        new("E15", "Audience with wrong element types", "malformed", _ => E15()),
        new("E16", "Audience near-matches", "invalid_audience (exact ordinal match)", _ => E16()),
        new("E17", "Issuer mismatch / missing / near-match", "invalid_issuer; missing iss is missing_claim; non-string is malformed", _ => E17()),
        new("E18", "Issuer–key binding (multi-tenant)", "unknown_key at tenant A (B's key is not in A's set); invalid_issuer at tenant B", _ => E18()),
        new("E19", "sub missing, empty or non-string", "malformed for empty and non-string sub; missing sub is missing_claim", _ => E19()),
    ];

    private static IEnumerable<AttackCase> E01()
    {
        foreach (string alg in new[] { "ES256", "HS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            long exp = Now - 30 - 1;
            yield return Refuse(alg + " exp = now − skew − 1", V(key), Tok(key, ("exp", exp.ToString()), ("iat", (exp - 300).ToString())), Expired);
            yield return Refuse(alg + " exp an hour ago", V(key), Tok(key, ("exp", (Now - 3600).ToString()), ("iat", (Now - 3900).ToString())), Expired);
        }

        JwsKey es = Key("ES256");
        yield return Refuse("skew 0: exp = now − 1", V(es, o => o with { ClockSkew = TimeSpan.Zero }), Tok(es, ("exp", (Now - 1).ToString()), ("iat", (Now - 301).ToString())), Expired);
    }

    private static IEnumerable<AttackCase> E02()
    {
        JwsKey es = Key("ES256");
        var noSkew = V(es, o => o with { ClockSkew = TimeSpan.Zero });
        yield return Refuse("skew 0: exp = now", noSkew, Tok(es, ("exp", Now.ToString()), ("iat", (Now - 300).ToString())), Expired);
        yield return Accept("skew 0 control: exp = now + 1", noSkew, Tok(es, ("exp", (Now + 1).ToString()), ("iat", (Now - 300).ToString())));
        yield return Refuse("skew 30: exp = now − 30", V(es), Tok(es, ("exp", (Now - 30).ToString()), ("iat", (Now - 330).ToString())), Expired);
        yield return Accept("skew 30 control: exp = now − 29", V(es), Tok(es, ("exp", (Now - 29).ToString()), ("iat", (Now - 329).ToString())));
        var maxSkew = V(es, o => o with { ClockSkew = TimeSpan.FromMinutes(5) });
        yield return Refuse("skew 5 min: exp = now − 300", maxSkew, Tok(es, ("exp", (Now - 300).ToString()), ("iat", (Now - 600).ToString())), Expired);
    }

    private static IEnumerable<AttackCase> E03()
    {
        JwsKey es = Key("ES256");
        yield return Refuse("no exp", V(es), Tok(es, ("exp", null)), MissingClaim);
        yield return Refuse("no exp and no iat", V(es), Tok(es, ("exp", null), ("iat", null)), MissingClaim);
        yield return Refuse("no exp, nbf present", V(es), Tok(es, ("exp", null), ("nbf", Now.ToString())), MissingClaim);
    }

    private static IEnumerable<AttackCase> E04()
    {
        JwsKey es = Key("ES256");
        yield return Refuse("nbf = now + skew + 1", V(es), Tok(es, ("nbf", (Now + 31).ToString())), NotYetValid);
        yield return Refuse("nbf = now + 1 h", V(es), Tok(es, ("nbf", (Now + 3600).ToString()), ("exp", (Now + 3700).ToString()), ("iat", (Now - 10).ToString())), NotYetValid);
        yield return Accept("control: nbf = now", V(es), Tok(es, ("nbf", Now.ToString())));
        yield return Accept("control: nbf = now + skew", V(es), Tok(es, ("nbf", (Now + 30).ToString())));
        yield return Refuse("skew 0: nbf = now + 1", V(es, o => o with { ClockSkew = TimeSpan.Zero }), Tok(es, ("nbf", (Now + 1).ToString())), NotYetValid);
    }

    private static IEnumerable<AttackCase> E05()
    {
        JwsKey es = Key("ES256");
        yield return Refuse("iat = now + 1 h", V(es), Tok(es, ("iat", (Now + 3600).ToString()), ("exp", (Now + 3900).ToString())), NotYetValid);
        yield return Refuse("iat = now + skew + 1", V(es), Tok(es, ("iat", (Now + 31).ToString())), NotYetValid);
        yield return Accept("control: iat = now + skew", V(es), Tok(es, ("iat", (Now + 30).ToString())));
    }

    private static IEnumerable<AttackCase> E06()
    {
        JwsKey es = Key("ES256");
        long tenYears = 10L * 365 * 86_400;
        yield return Refuse("exp − iat = 10 years", V(es), Tok(es, ("exp", (Now + tenYears).ToString())), LifetimeExceeded);
        yield return Refuse("exp − iat = 3601 s", V(es), Tok(es, ("exp", (Now + 3601).ToString())), LifetimeExceeded);
        yield return Accept("control: exp − iat = 3600 s", V(es), Tok(es, ("exp", (Now + 3600).ToString())));
        yield return Refuse("old iat, short remaining life: exp − iat = 3700 s", V(es), Tok(es, ("iat", (Now - 3500).ToString()), ("exp", (Now + 200).ToString())), LifetimeExceeded);
        yield return Refuse("MaxLifetime 5 min: 301 s", V(es, o => o with { MaxLifetime = TimeSpan.FromMinutes(5) }), Tok(es, ("exp", (Now + 301).ToString())), LifetimeExceeded);
    }

    private static IEnumerable<AttackCase> E07()
    {
        JwsKey es = Key("ES256");
        yield return Refuse("exp \"1999999999\"", V(es), Tok(es, ("exp", "\"1999999999\"")), Malformed);
        yield return Refuse("exp \"now\"", V(es), Tok(es, ("exp", "\"now\"")), Malformed);
        yield return Refuse($"exp \"{Now + 300}\" (a valid time as a string)", V(es), Tok(es, ("exp", $"\"{Now + 300}\"")), Malformed);
        yield return Refuse("iat as a string", V(es), Tok(es, ("iat", $"\"{Now}\"")), Malformed);
        yield return Refuse("nbf as a string", V(es), Tok(es, ("nbf", $"\"{Now}\"")), Malformed);
        yield return Refuse("exp as an ISO date string", V(es), Tok(es, ("exp", "\"2027-01-15T08:00:00Z\"")), Malformed);
    }

    private static IEnumerable<AttackCase> E08()
    {
        JwsKey es = Key("ES256");
        long x = Now + 300;
        foreach (string raw in new[] { $"{x}.5", $"{x}.0", "1.8000003E9", "1.8000003e+9", "18000003e2", $"{x}.999999" })
        {
            yield return Accept("exp " + raw, V(es), Tok(es, ("exp", raw)));
        }

        string half = Tok(es, ("exp", $"{x}.5"));
        yield return Property("exp x.5 reads as x (rounded down)", () => Assert.Equal(x, Validators.For(es).Validate(half).Claims!.ExpiresAt));
        yield return Refuse("exp x.5 at now = x + skew: expired, so it was rounded down", VAt(es, x + 30), half, Expired);
        yield return Accept("exp x.5 at now = x + skew − 1", VAt(es, x + 29), half);
        yield return Accept("iat now.5", V(es), Tok(es, ("iat", $"{Now}.5")));
        yield return Refuse("iat now + 30.5: rounded up past the skew", V(es), Tok(es, ("iat", $"{Now + 30}.5")), NotYetValid);
        yield return Refuse("nbf now + 30.5: rounded up past the skew", V(es), Tok(es, ("nbf", $"{Now + 30}.5")), NotYetValid);
        yield return Accept("nbf now + 29.5", V(es), Tok(es, ("nbf", $"{Now + 29}.5")));
    }

    private static IEnumerable<AttackCase> E09()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        var malformed = new[]
        {
            "1e400", "-1e400", "9223372036854775808", "18446744073709551616", "-1", "-0.5", "253402300800",
            "1e19", "99999999999999999999999999999999999999",
        };
        foreach (string raw in malformed)
        {
            yield return Refuse("exp " + raw, v, Tok(es, ("exp", raw)), Malformed);
        }

        yield return Refuse("exp 0", v, Tok(es, ("exp", "0")), Expired);
        yield return Refuse("exp -0", v, Tok(es, ("exp", "-0")), Expired);
        yield return Refuse("exp -0.0", v, Tok(es, ("exp", "-0.0")), Expired);
        yield return Refuse("exp 1e-400 (underflows to 0)", v, Tok(es, ("exp", "1e-400")), Expired);
        yield return Refuse("exp 253402300799 (last second of year 9999): parses, so the lifetime check refuses", v, Tok(es, ("exp", "253402300799")), LifetimeExceeded);
        yield return Refuse("iat -1", v, Tok(es, ("iat", "-1")), Malformed);
        yield return Refuse("iat 1e400", v, Tok(es, ("iat", "1e400")), Malformed);
        yield return Refuse("iat 253402300800", v, Tok(es, ("iat", "253402300800")), Malformed);
        yield return Refuse("nbf -1", v, Tok(es, ("nbf", "-1")), Malformed);
        yield return Refuse("nbf 9223372036854775808", v, Tok(es, ("nbf", "9223372036854775808")), Malformed);
    }

    private static IEnumerable<AttackCase> E10()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        foreach (string raw in new[] { "null", "true", "false", $"[{Now + 300}]", $"{{\"$date\":{Now + 300}}}", "{}", "[]" })
        {
            yield return Refuse("exp " + raw, v, Tok(es, ("exp", raw)), Malformed);
        }

        foreach (string literal in new[] { "NaN", "Infinity", "-Infinity" })
        {
            yield return Refuse("exp " + literal + " (not JSON)", v, Tok(es, ("exp", literal)), Malformed);
        }

        yield return Refuse("iat null", v, Tok(es, ("iat", "null")), Malformed);
        yield return Refuse("nbf true", v, Tok(es, ("nbf", "true")), Malformed);
    }

    private static IEnumerable<AttackCase> E11()
    {
        JwsKey es = Key("ES256");
        yield return Refuse("no aud", V(es), Tok(es, ("aud", null)), MissingClaim);
    }

    private static IEnumerable<AttackCase> E12()
    {
        JwsKey es = Key("ES256");
        yield return Refuse("aud other-api", V(es), Tok(es, ("aud", Q("other-api"))), InvalidAudience);
        yield return Refuse("aud [other-api]", V(es), Tok(es, ("aud", "[\"other-api\"]")), InvalidAudience);
        yield return Refuse("aud [a, b, c]", V(es), Tok(es, ("aud", "[\"a\",\"b\",\"c\"]")), InvalidAudience);
    }

    private static IEnumerable<AttackCase> E13()
    {
        JwsKey es = Key("ES256");
        yield return Accept("aud [other, api]", V(es), Tok(es, ("aud", "[\"other\",\"api\"]")));
        yield return Accept("aud [api]", V(es), Tok(es, ("aud", "[\"api\"]")));
        yield return Accept("aud [api, other]", V(es), Tok(es, ("aud", "[\"api\",\"other\"]")));
    }

    private static IEnumerable<AttackCase> E14()
    {
        JwsKey es = Key("ES256");
        yield return Refuse("aud []", V(es), Tok(es, ("aud", "[]")), InvalidAudience);
        yield return Refuse("aud \"\"", V(es), Tok(es, ("aud", "\"\"")), InvalidAudience);
        yield return Refuse("aud [\"\"]", V(es), Tok(es, ("aud", "[\"\"]")), InvalidAudience);
    }

    private static IEnumerable<AttackCase> E15()
    {
        JwsKey es = Key("ES256");
        foreach (string raw in new[] { "[1,null,{\"a\":1}]", "[\"x\",[\"api\"]]", "123", "{\"api\":true}", "[\"api\",1]", "null", "true", "[null]", "[[\"api\"]]" })
        {
            yield return Refuse("aud " + raw, V(es), Tok(es, ("aud", raw)), Malformed);
        }
    }

    private static IEnumerable<AttackCase> E16()
    {
        JwsKey es = Key("ES256");
        var v = V(new KeySet([es]), o => o with { Audiences = ["api", "https://api.example"] });
        yield return Accept("control: https://api.example", v, Tok(es, ("aud", Q("https://api.example"))));
        foreach (string aud in new[] { "API", "api ", " api", "api\u0000", "ap", "api-admin", "\uff41\uff50\uff49", "api\n", "https://api.example/", "https://API.example", "http://api.example", "https://api.example.", "https://api.example:443" })
        {
            yield return Refuse($"aud '{Escape(aud)}'", v, Tok(es, ("aud", Q(aud))), InvalidAudience);
        }
    }

    private static IEnumerable<AttackCase> E17()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        yield return Refuse("no iss", v, Tok(es, ("iss", null)), MissingClaim);
        foreach (string iss in new[] { "https://other.test", "https://auth.test/", "HTTPS://auth.test", "https://AUTH.test", "http://auth.test", "https://auth.test\u0000", "https://auth.test ", "https://auth.test/tenant2", "https://auth.tes", "" })
        {
            yield return Refuse($"iss '{Escape(iss)}'", v, Tok(es, ("iss", Q(iss))), InvalidIssuer);
        }

        yield return Refuse("iss 123", v, Tok(es, ("iss", "123")), Malformed);
        yield return Refuse("iss null", v, Tok(es, ("iss", "null")), Malformed);
        yield return Refuse("iss [issuer]", v, Tok(es, ("iss", $"[{Q(Tokens.Issuer)}]")), Malformed);
    }

    private static IEnumerable<AttackCase> E18()
    {
        JwsKey keyA = Key("ES256");
        JwsKey keyB = JwsKey.Generate(JwsAlgorithm.ES256);
        var tenantA = V(new KeySet([keyA]), o => o with { Issuer = "https://tenant-a.test" });
        var tenantB = V(new KeySet([keyB]), o => o with { Issuer = "https://tenant-b.test" });
        string forged = Tok(keyB, ("iss", Q("https://tenant-a.test")));
        yield return Refuse("iss tenant A, signed by tenant B's key, at tenant A", tenantA, forged, UnknownKey);
        yield return Refuse("iss tenant A, signed by tenant B's key, at tenant B", tenantB, forged, InvalidIssuer);
        yield return Refuse("iss tenant A, tenant B's key, no kid, at tenant A (one-key set)", tenantA, Sign(keyB, Header("ES256", null), Claims(("iss", Q("https://tenant-a.test")))), InvalidSignature);
        yield return Accept("control: tenant A's own token", tenantA, Tok(keyA, ("iss", Q("https://tenant-a.test"))));
    }

    private static IEnumerable<AttackCase> E19()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        yield return Refuse("sub \"\"", v, Tok(es, ("sub", "\"\"")), Malformed);
        yield return Refuse("sub 123", v, Tok(es, ("sub", "123")), Malformed);
        yield return Refuse("sub null", v, Tok(es, ("sub", "null")), Malformed);
        yield return Refuse("sub [\"a\"]", v, Tok(es, ("sub", "[\"a\"]")), Malformed);
        yield return Refuse("sub {}", v, Tok(es, ("sub", "{}")), Malformed);
        yield return Refuse("sub true", v, Tok(es, ("sub", "true")), Malformed);
        yield return Refuse("no sub", v, Tok(es, ("sub", null)), MissingClaim);
    }
}
