// Mode "seed OUTDIR": writes the seed corpus, OUTDIR/validate and OUTDIR/jwk. Valid tokens are
// issued by TokenIssuer with the fixed keys at the fixed instant; the other tokens have headers
// and payloads written by hand and are signed here, outside the library, so that bad claims
// (expired, wrong issuer, wrong types, …) reach the steps after the signature.
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Jose;

namespace Tessera.Fuzz;

internal static class SeedWriter
{
    public static void Write(string outDir)
    {
        string validate = Path.Combine(outDir, "validate");
        string jwk = Path.Combine(outDir, "jwk");
        Directory.CreateDirectory(validate);
        Directory.CreateDirectory(jwk);
        WriteTokens(validate);
        WriteJwks(jwk);
    }

    private static void WriteTokens(string dir)
    {
        long now = Fixture.Now.ToUnixTimeSeconds();
        var request = new TokenRequest { Subject = "meter-17", Audiences = [Fixture.Audience], Scope = "read write", ClientId = "meter-17" };

        // One valid access token per asymmetric key, one valid plain JWT per HMAC key.
        var accessIssuer = new TokenIssuer(new IssuanceOptions { Issuer = Fixture.Issuer }, Fixture.Clock);
        foreach (JwsKey key in Fixture.AsymmetricSigners)
        {
            Save(dir, $"valid-{key.KeyId}", accessIssuer.Issue(key, request).Token);
        }

        var jwtIssuer = new TokenIssuer(new IssuanceOptions { Issuer = Fixture.Issuer, Type = JwtTypes.Jwt }, Fixture.Clock);
        foreach (JwsKey key in Fixture.HmacSigners)
        {
            Save(dir, $"valid-{key.KeyId}", jwtIssuer.Issue(key, request with { Audiences = [Fixture.OtherAudience, Fixture.Audience] }).Token);
        }

        string iss = Fixture.Issuer;
        string aud = Fixture.Audience;
        string good = $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now + 600}},"iat":{{now}},"jti":"j1"}""";
        string nested = new string('[', 28) + """{"a":{"b":1}}""" + new string(']', 28);
        var payloads = new (string Name, string Json)[]
        {
            ("expired", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now - 60}},"iat":{{now - 660}},"jti":"j2"}"""),
            ("not-yet-valid", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now + 1200}},"nbf":{{now + 600}},"iat":{{now}},"jti":"j3"}"""),
            ("iat-future", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now + 1200}},"iat":{{now + 600}},"jti":"j4"}"""),
            ("lifetime-exceeded", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now + 90_000}},"iat":{{now}},"jti":"j5"}"""),
            ("wrong-issuer", $$"""{"iss":"https://evil.example","sub":"s","aud":"{{aud}}","exp":{{now + 600}},"iat":{{now}},"jti":"j6"}"""),
            ("audience-array", $$"""{"iss":"{{iss}}","sub":"s","aud":["other","{{aud}}"],"exp":{{now + 600}},"iat":{{now}},"jti":"j7"}"""),
            ("wrong-audience", $$"""{"iss":"{{iss}}","sub":"s","aud":["other"],"exp":{{now + 600}},"iat":{{now}},"jti":"j8"}"""),
            ("missing-claims", $$"""{"iss":"{{iss}}","aud":"{{aud}}","exp":{{now + 600}}}"""),
            ("wrong-types", $$"""{"iss":"{{iss}}","sub":7,"aud":"{{aud}}","exp":"{{now + 600}}","iat":{{now}}.5,"jti":null}"""),
            ("revoked", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now + 600}},"iat":{{now}},"jti":"{{Fixture.RevokedJti}}"}"""),
            ("escapes", $$"""{"\u0069ss":"https:\/\/auth.fuzz.example","sub":"\u00e9\ud83d\ude00","aud":"{{aud}}","exp":{{now + 600}},"iat":{{now}},"jti":"\u006a9","client_id":"c","scope":"a b"}"""),
            ("huge-numbers", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":123456789012345678901234567890,"iat":1e400,"nbf":-0.0000001e-999,"jti":"j10"}"""),
            ("nested", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now + 600}},"iat":{{now}},"jti":"j11","x":{{nested}}}"""),
            ("too-deep", $$"""{"iss":"{{iss}}","x":{{new string('[', 40)}}{{new string(']', 40)}}}"""),
            ("duplicate-members", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now + 600}},"exp":{{now + 60}},"iat":{{now}},"jti":"j12"}"""),
            ("duplicate-escaped", $$"""{"iss":"{{iss}}","sub":"s","aud":"{{aud}}","exp":{{now + 600}},"\u0065xp":{{now + 60}},"iat":{{now}},"jti":"j13"}"""),
            ("lone-surrogate", $$"""{"iss":"{{iss}}","sub":"\ud800","aud":"{{aud}}","exp":{{now + 600}},"iat":{{now}},"jti":"j14"}"""),
            ("not-object", "[1,2,3]"),
        };

        foreach ((string name, string json) in payloads)
        {
            Save(dir, $"hs256-{name}", Sign(FixedKeys.Hs256, "HS256", "JWT", "fuzz-hs256", json));
            Save(dir, $"eddsa-{name}", Sign(FixedKeys.EdDsa, "EdDSA", "at+jwt", "fuzz-eddsa", json));
        }

        // Headers: each needs a good payload and a good signature to be the only problem.
        Save(dir, "header-typ-application", Sign(FixedKeys.Es256, "ES256", "application/AT+JWT", "fuzz-es256", good));
        Save(dir, "header-typ-wrong", Sign(FixedKeys.Es256, "ES256", "JWT", "fuzz-es256", good));
        Save(dir, "header-no-typ", SignRaw(FixedKeys.Es256, """{"alg":"ES256","kid":"fuzz-es256"}""", good));
        Save(dir, "header-no-kid", SignRaw(FixedKeys.Hs256, """{"alg":"HS256","typ":"JWT"}""", good));
        Save(dir, "header-unknown-kid", Sign(FixedKeys.Rs256, "RS256", "at+jwt", "nobody", good));
        Save(dir, "header-alg-mismatch", Sign(FixedKeys.Ps256, "RS256", "at+jwt", "fuzz-ps256", good));
        Save(dir, "header-crit", SignRaw(FixedKeys.EdDsa, """{"alg":"EdDSA","typ":"at+jwt","kid":"fuzz-eddsa","crit":["exp"],"exp":1}""", good));
        Save(dir, "header-jku", SignRaw(FixedKeys.EdDsa, """{"alg":"EdDSA","typ":"at+jwt","kid":"fuzz-eddsa","jku":"https://evil.example/jwks"}""", good));
        Save(dir, "header-duplicate-alg", SignRaw(FixedKeys.EdDsa, """{"alg":"EdDSA","alg":"none","typ":"at+jwt","kid":"fuzz-eddsa"}""", good));

        // Unsigned and malformed shapes.
        string header = B64("""{"alg":"none","typ":"at+jwt"}""");
        string body = B64(good);
        Save(dir, "alg-none", $"{header}.{body}.");
        Save(dir, "alg-none-signed", $"{B64("""{"alg":"none","typ":"at+jwt","kid":"fuzz-eddsa"}""")}.{body}.AAAA");
        Save(dir, "alg-case", $"{B64("""{"alg":"eddsa","typ":"at+jwt","kid":"fuzz-eddsa"}""")}.{body}.AAAA");
        Save(dir, "empty-segments", "..");
        Save(dir, "empty-payload", $"{header}..AAAA");
        Save(dir, "five-segments", $"{header}.{body}.AAAA.BBBB.CCCC");
        Save(dir, "padding", $"{header}=.{body}.AAAA==");
        Save(dir, "whitespace", $"{header} .{body}\n.AAAA");
        Save(dir, "not-json", $"{B64("not json")}.{B64("{")}.AAAA");
        Save(dir, "bom", $"{B64("\uFEFF{\"alg\":\"HS256\"}")}.{body}.AAAA");
    }

    private static void WriteJwks(string dir)
    {
        foreach (string jwk in FixedKeys.Asymmetric.Concat(FixedKeys.Hmac))
        {
            using JwsKey key = JwsKey.ImportJwk(jwk);
            Save(dir, $"private-{key.KeyId}", jwk);
            if (!key.Algorithm.IsSymmetric)
            {
                Save(dir, $"public-{key.KeyId}", key.ExportJwk());
            }
        }

        Save(dir, "jwks-asymmetric", Fixture.AsymmetricKeys.ToJwks());
        string hs = Fixture.HmacSigners[0].ExportJwk();
        Save(dir, "jwks-hmac", $$"""{"keys":[{{hs}}]}""");

        string ed = Fixture.AsymmetricKeys.Keys[0].ExportJwk();
        string es = Fixture.AsymmetricKeys.Keys[1].ExportJwk();
        using (JsonDocument rs = JsonDocument.Parse(Fixture.AsymmetricKeys.Keys[4].ExportJwk()))
        {
            string n = rs.RootElement.GetProperty("n").GetString()!;
            Save(dir, "rsa-no-alg", $$"""{"kty":"RSA","kid":"r","n":"{{n}}","e":"AQAB"}""");
            Save(dir, "rsa-small-exponent", $$"""{"kty":"RSA","alg":"RS256","n":"{{n}}","e":"Aw"}""");
        }

        using (JsonDocument ec = JsonDocument.Parse(es))
        {
            string x = ec.RootElement.GetProperty("x").GetString()!;
            string y = ec.RootElement.GetProperty("y").GetString()!;
            Save(dir, "ec-no-alg", $$"""{"kty":"EC","crv":"P-256","x":"{{x}}","y":"{{y}}"}""");
            Save(dir, "ec-key-ops", $$"""{"kty":"EC","crv":"P-256","key_ops":["verify"],"x":"{{x}}","y":"{{y}}"}""");
            Save(dir, "ec-off-curve", $$"""{"kty":"EC","crv":"P-256","x":"{{x}}","y":"{{x}}"}""");
        }

        Save(dir, "oct-no-alg", """{"kty":"oct","k":"AWbXK8btRbH3D5Szo8S-mkIeRaAZWod7XjmzFfnqfmE"}""");
        Save(dir, "jwks-mixed-uses", $$"""{"keys":[{{ed}},{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"},{"kty":"OKP","crv":"X25519","x":"AAAA"},{"kty":"EC","key_ops":["encrypt"],"crv":"P-256"}]}""");
        Save(dir, "jwks-duplicate-kid", $$"""{"keys":[{{ed}},{{ed}}]}""");
        Save(dir, "jwks-duplicate-member", """{"keys":[],"keys":[]}""");
        Save(dir, "jwks-nested", "{\"keys\":[" + new string('[', 30) + new string(']', 30) + "]}");
        Save(dir, "jwks-empty", """{"keys":[]}""");
    }

    private static string Sign(string privateJwk, string alg, string typ, string kid, string payload) =>
        SignRaw(privateJwk, $$"""{"alg":"{{alg}}","typ":"{{typ}}","kid":"{{kid}}"}""", payload);

    /// <summary>Signs header and payload as given, with the key of <paramref name="privateJwk"/>.</summary>
    private static string SignRaw(string privateJwk, string header, string payload)
    {
        string signingInput = B64(header) + "." + B64(payload);
        byte[] data = Encoding.ASCII.GetBytes(signingInput);
        using JsonDocument doc = JsonDocument.Parse(privateJwk);
        JsonElement jwk = doc.RootElement;
        string alg = jwk.GetProperty("alg").GetString()!;
        byte[] signature = alg switch
        {
            "HS256" => HMACSHA256.HashData(Member(jwk, "k"), data),
            "HS512" => HMACSHA512.HashData(Member(jwk, "k"), data),
            "EdDSA" => SignEd25519(Member(jwk, "d"), data),
            "ES256" or "ES384" or "ES512" => SignEcdsa(jwk, alg, data),
            _ => SignRsa(jwk, alg, data),
        };
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static byte[] SignEd25519(byte[] seed, byte[] data)
    {
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(key, data);
    }

    private static byte[] SignEcdsa(JsonElement jwk, string alg, byte[] data)
    {
        (ECCurve curve, HashAlgorithmName hash) = alg switch
        {
            "ES256" => (ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256),
            "ES384" => (ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384),
            _ => (ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512),
        };
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = Member(jwk, "x"), Y = Member(jwk, "y") },
            D = Member(jwk, "d"),
        });
        return ecdsa.SignData(data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static byte[] SignRsa(JsonElement jwk, string alg, byte[] data)
    {
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Member(jwk, "n"),
            Exponent = Member(jwk, "e"),
            D = Member(jwk, "d"),
            P = Member(jwk, "p"),
            Q = Member(jwk, "q"),
            DP = Member(jwk, "dp"),
            DQ = Member(jwk, "dq"),
            InverseQ = Member(jwk, "qi"),
        });
        RSASignaturePadding padding = alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.SignData(data, HashAlgorithmName.SHA256, padding);
    }

    private static byte[] Member(JsonElement jwk, string name) => Base64Url.DecodeFromChars(jwk.GetProperty(name).GetString());

    private static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static void Save(string dir, string name, string content) =>
        File.WriteAllText(Path.Combine(dir, name), content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
}
