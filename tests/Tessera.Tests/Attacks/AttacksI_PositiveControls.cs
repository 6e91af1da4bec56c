using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Keys;
using Tessera.Tests.Support;
using Tessera.Validation;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>
/// docs/ATTACKS.md section I: positive controls. A validator that refuses everything passes every row
/// above; these must be accepted.
/// </summary>
internal static partial class AttackCatalog
{
    private static IEnumerable<AttackRow> SectionI() =>
    [
        new("I01", "Baseline valid token per allowed algorithm", "accepted for all 13 algorithms, hand-signed and issued by TokenIssuer, string and span overloads", _ => I01()),
        new("I02", "Whitespace inside the JSON header", "accepted: spaces, \\n\\t and CRLF inside header and payload JSON", _ => I02()),
        new("I03", "MAC bytes that encode to AA… or __…", "accepted; Wycheproof tcId 358/359 (AAAA…/____…) at the JWS layer (tests/vectors/wycheproof/json_web_signature_test.json)", _ => I03()),
        new("I04", "Empty, all-zero and one-byte payloads at the JWS layer", "all-zero and one-byte payloads verify at the JWS layer for RS*/PS* and are malformed as JWTs; an empty payload is malformed (docs/SPEC.md: non-empty segments)", _ => I04()),
        new("I05", "aud array, float exp, nbf = now", "accepted, separately and together", _ => I05()),
        new("I06", "ECDSA high-S signature", "accepted (policy) for ES256/384/512", _ => I06()),
        new("I07", "Rotation overlap", "tokens of the old and the new key both accepted while both are published; only the new after the old leaves", _ => I07()),
        new("I08", "Long HMAC keys", "accepted: HS256/384/512 with 64- and 128-byte secrets (constructed and from JWKs)", _ => I08()),
    ];

    private static IEnumerable<AttackCase> I01()
    {
        foreach (JwsAlgorithm alg in JwsAlgorithm.All)
        {
            JwsKey key = Key(alg.Name);
            yield return Accept(alg.Name + " hand-signed", V(key), Tokens.Valid(key));
            var issuer = new TokenIssuer(new IssuanceOptions { Issuer = Tokens.Issuer }, new FakeClock(Now));
            string issued = issuer.Issue(key, new TokenRequest { Subject = "meter-17", Audiences = [Tokens.Audience], Scope = "read write" }).Token;
            yield return Accept(alg.Name + " issued by TokenIssuer", V(key, cacheSize: 0), issued);
            yield return Property(alg.Name + " span overload agrees", () =>
            {
                ValidationResult r = V(key, cacheSize: 0).Validate(issued.AsSpan());
                Assert.Equal(None, r.Error);
                Assert.Equal("meter-17", r.Claims!.Subject);
            });
        }
    }

    private static IEnumerable<AttackCase> I02()
    {
        JwsKey hs = Key("HS256");
        JwsKey es = Key("ES256");
        yield return Accept("spaces around names and colons", V(hs), Sign(hs, $"{{ \"kid\" : {Q(hs.KeyId)}, \"alg\" : \"HS256\", \"typ\" : \"at+jwt\" }}", Claims()));
        yield return Accept("\\n\\t in the header", V(es), Sign(es, $"{{\n\t\"alg\":\"ES256\",\n\t\"typ\":\"at+jwt\",\n\t\"kid\":{Q(es.KeyId)}\n}}", Claims()));
        yield return Accept("CRLF in the header (RFC 7515 A.1 style)", V(hs), Sign(hs, $"{{\"typ\":\"at+jwt\",\r\n \"alg\":\"HS256\",\"kid\":{Q(hs.KeyId)}}}", Claims()));
        yield return Accept("indented payload", V(es), Sign(es, Header(es), JsonNode.Parse(Claims())!.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        yield return Accept("trailing whitespace after the JSON objects", V(es), Sign(es, Header(es) + " \n", Claims() + "\r\n"));
    }

    private static readonly Lazy<(string Aa, string Underscore)> EdgeMacs = new(() =>
    {
        JwsKey hs = Key("HS256");
        string header = Tokens.B64(Header(hs));
        string Find(string prefix)
        {
            for (int i = 0; ; i++)
            {
                string input = header + "." + Tokens.B64(Claims(("jti", Q("edge-" + i))));
                string mac = Tokens.B64(Hmac(JwsAlgorithm.HS256, SecretOf(hs), System.Text.Encoding.ASCII.GetBytes(input)));
                if (mac.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return input + "." + mac;
                }
            }
        }

        return (Find("AA"), Find("__"));
    });

    private static IEnumerable<AttackCase> I03()
    {
        JwsKey hs = Key("HS256");
        yield return Accept("MAC encoding starts with AA", V(hs), EdgeMacs.Value.Aa);
        yield return Accept("MAC encoding starts with __", V(hs), EdgeMacs.Value.Underscore);
        using JsonDocument doc = TestVectors.ParseJson("wycheproof/json_web_signature_test.json");
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                int id = test.GetProperty("tcId").GetInt32();
                if (id is 358 or 359)
                {
                    JwsKey key = JwsKey.ImportJwk(group.GetProperty("private").GetRawText());
                    yield return new JwsLayerCase($"Wycheproof tcId {id} ({test.GetProperty("comment").GetString()})", V(key), test.GetProperty("jws").GetString()!, None);
                }
            }
        }
    }

    private static IEnumerable<AttackCase> I04()
    {
        foreach (string alg in new[] { "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" })
        {
            JwsKey key = Key(alg);
            string h = Tokens.B64(Header(key));
            string zeros = Tokens.SignEncoded(key, h + "." + Tokens.B64(new byte[32]));
            string oneByte = Tokens.SignEncoded(key, h + "." + Tokens.B64([0x41]));
            yield return new JwsLayerCase(alg + " all-zero payload, JWS layer", V(key), zeros, None);
            yield return Refuse(alg + " all-zero payload, JWT layer", V(key), zeros, Malformed);
            yield return new JwsLayerCase(alg + " one-byte payload, JWS layer", V(key), oneByte, None);
            yield return Refuse(alg + " one-byte payload, JWT layer", V(key), oneByte, Malformed);
            yield return new JwsLayerCase(alg + " empty payload, JWS layer (empty segment)", V(key), Tokens.SignEncoded(key, h + "."), Malformed);
        }
    }

    private static IEnumerable<AttackCase> I05()
    {
        JwsKey es = Key("ES256");
        yield return Accept("aud array", V(es), Tok(es, ("aud", "[\"other\",\"api\"]")));
        yield return Accept("float exp", V(es), Tok(es, ("exp", $"{Now + 300}.25")));
        yield return Accept("nbf = now", V(es), Tok(es, ("nbf", Now.ToString())));
        yield return Accept("all three together", V(es), Tok(es, ("aud", "[\"other\",\"api\"]"), ("exp", $"{Now + 300}.25"), ("nbf", Now.ToString())));
    }

    private static IEnumerable<AttackCase> I06()
    {
        foreach (string alg in new[] { "ES256", "ES384", "ES512" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            yield return Accept(alg + " n − s", V(key), WithSig(t, AttackCrypto.HighS(key.Algorithm, SigBytes(t))));
        }
    }

    private static IEnumerable<AttackCase> I07()
    {
        foreach (string alg in new[] { "EdDSA", "ES256", "RS256" })
        {
            JwsKey old = Key(alg);
            JwsKey next = alg == "RS256" ? AttackerRsa.Value : JwsKey.Generate(old.Algorithm);
            TokenValidator v = V(new KeySet([PublicOnly(old), PublicOnly(next)]));
            string oldToken = Tokens.Valid(old);
            string newToken = Tokens.Valid(next);
            yield return Accept(alg + " old key's token during overlap", v, oldToken);
            yield return Accept(alg + " new key's token during overlap", v, newToken);
            yield return Accept(alg + " new key's token after the old key leaves", v, newToken, before: () => v.UpdateKeys(new KeySet([PublicOnly(next)])));
            yield return Refuse(alg + " old key's token after the old key leaves", v, oldToken, UnknownKey);
        }

        JwsKey h1 = Key("HS256");
        JwsKey h2 = JwsKey.Generate(JwsAlgorithm.HS256);
        TokenValidator hv = V(new KeySet([h1, h2]));
        yield return Accept("HS256 old secret during overlap", hv, Tokens.Valid(h1));
        yield return Accept("HS256 new secret during overlap", hv, Tokens.Valid(h2));
    }

    private static IEnumerable<AttackCase> I08()
    {
        foreach (JwsAlgorithm alg in Hmacs)
        {
            foreach (int length in new[] { 64, 128 })
            {
                byte[] secret = RandomNumberGenerator.GetBytes(length);
                var key = new HmacKey(alg, secret, "long-" + length);
                yield return Accept($"{alg.Name} {length}-byte secret", V(key), Tokens.Valid(key));
                var jwk = new JsonObject { ["kty"] = "oct", ["alg"] = alg.Name, ["kid"] = "jwk-" + length, ["k"] = Tokens.B64(secret) };
                KeySet set = KeySet.FromJwks(JwkSet(jwk));
                yield return Accept($"{alg.Name} {length}-byte secret from a JWKS", V(set), Sign(key, Header(alg.Name, "jwk-" + length), Claims()));
            }
        }
    }
}
