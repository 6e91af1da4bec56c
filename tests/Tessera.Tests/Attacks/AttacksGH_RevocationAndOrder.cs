using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation.Sqlite;
using Tessera.Tests.Support;
using Tessera.Validation;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>
/// docs/ATTACKS.md G01–G04 (revocation through an in-memory deny list, step 7), G05 (the one-time
/// rule of client assertions, and step 7 asked at every use of an access token) and the H rows that
/// apply to the core validator: H01 (verification cost through huge keys) and H04 (which reason
/// wins when a token has several defects: docs/SPEC.md §2's order, first failure).
/// </summary>
internal static partial class AttackCatalog
{
    private static IEnumerable<AttackRow> SectionGH() =>
    [
        new("G01", "Revoked jti", "revoked, with and without the cache, also for a token accepted earlier", _ => G01()),
        new("G02", "jti missing, empty or non-string", "malformed for empty and non-string jti; missing jti is missing_claim", _ => G02()),
        new("G03", "jti near-match", "only the exact jti is revoked; near-matches are accepted (they are other, genuinely signed tokens)", _ => G03()),
        new("G04", "Deny-list bypass through re-encoding", "non-canonical, padded and whitespace variants are malformed; the ECDSA high-S variant is still revoked (the list is keyed on jti)", _ => G04()),
        new("G05", "Replay of a one-time token", "client assertions, Tessera's one-time tokens (RFC 7523 §3, ClientAssertionValidator over the SQLite store): first use accepted, a second use refused as replayed, also when re-signed or sent as the ECDSA high-S twin (the record is the jti, not the token); another jti is accepted. Access tokens are not one-time: what the product does for a caller's single-use list is ask it at every use, the cache's repeats included", _ => G05()),
        new("H01", "Signature verification cost amplification", "KeyException for RSA keys over 8192 bits (JWK, PEM), so no token can select one", _ => H01()),
        new("H04", "Error-handling confusion", "the first failing step of docs/SPEC.md §2 is the answer: a forged expired token is invalid_signature, and so on down the order", _ => H04()),
    ];

    private static IEnumerable<AttackCase> G01()
    {
        JwsKey es = Key("ES256");
        string jti = "revoked-" + Guid.NewGuid().ToString("N");
        string token = Tok(es, ("jti", Q(jti)));
        var list = new HashSetRevocations(jti);
        yield return Refuse("revoked jti, cache on", V(es, revocations: list), token, Revoked);
        yield return Refuse("revoked jti, cache off", V(es, cacheSize: 0, revocations: list), token, Revoked);
        var growing = new MutableRevocations();
        TokenValidator v = V(es, revocations: growing);
        yield return Accept("accepted before revocation (and remembered)", v, token);
        yield return Refuse("revoked after it was remembered", v, token, Revoked, before: () => growing.Revoke(jti));
        yield return Accept("control: another jti", V(es, revocations: list), Tok(es));
    }

    private static IEnumerable<AttackCase> G02()
    {
        JwsKey es = Key("ES256");
        var v = V(es, revocations: new HashSetRevocations(""));
        yield return Refuse("jti \"\"", v, Tok(es, ("jti", "\"\"")), Malformed);
        yield return Refuse("jti 123", v, Tok(es, ("jti", "123")), Malformed);
        yield return Refuse("jti [\"a\"]", v, Tok(es, ("jti", "[\"a\"]")), Malformed);
        yield return Refuse("jti null", v, Tok(es, ("jti", "null")), Malformed);
        yield return Refuse("jti {}", v, Tok(es, ("jti", "{}")), Malformed);
        yield return Refuse("no jti", v, Tok(es, ("jti", null)), MissingClaim);
    }

    private static IEnumerable<AttackCase> G03()
    {
        JwsKey es = Key("ES256");
        var list = new HashSetRevocations("abc", "caf\u00e9");
        var v = V(es, revocations: list);
        yield return Refuse("abc (revoked)", v, Tok(es, ("jti", Q("abc"))), Revoked);
        yield return Refuse("abc written as \\u0061bc (same value)", v, Tok(es, ("jti", "\"\\u0061bc\"")), Revoked);
        foreach (string near in new[] { "ABC", "abc ", " abc", "abc\u0000", "ab", "abcd", "\uff41bc" })
        {
            yield return Accept($"'{Escape(near)}' is another token", v, Tok(es, ("jti", Q(near))));
        }

        yield return Refuse("café NFC (revoked)", v, Tok(es, ("jti", Q("caf\u00e9"))), Revoked);
        yield return Accept("café NFD is another jti", v, Tok(es, ("jti", Q("cafe\u0301"))));
    }

    private static IEnumerable<AttackCase> G04()
    {
        JwsKey es = Key("ES256");
        string jti = "revoked-" + Guid.NewGuid().ToString("N");
        var list = new HashSetRevocations(jti);
        string token = Tok(es, ("jti", Q(jti)));
        yield return Refuse("the revoked token", V(es, revocations: list), token, Revoked);
        yield return Refuse("(a) non-canonical last character of S", V(es, revocations: list), WithSegment(token, 2, NonCanonicalTail(S(token))), Malformed);
        yield return Refuse("(b) ECDSA high-S signature", V(es, revocations: list), WithSig(token, AttackCrypto.HighS(es.Algorithm, SigBytes(token))), Revoked);
        yield return Refuse("(c) S==", V(es, revocations: list), token + "==", Malformed);
        yield return Refuse("(c) trailing LF", V(es, revocations: list), token + "\n", Malformed);
        yield return Refuse("(c) leading space", V(es, revocations: list), " " + token, Malformed);
        yield return Refuse("same claims re-signed (new ECDSA nonce)", V(es, revocations: list), Sign(es, Header(es), Base64Text(P(token))), Revoked);
    }

    // The product's one-time rule is ClientAssertionValidator's: each accepted assertion's jti is
    // recorded in the durable store (IRevocationStore.Revoke), and a jti already there is a replay.
    private static IEnumerable<AttackCase> G05()
    {
        yield return Property("client assertion: first use accepted, the same assertion again refused as replayed", () => Assertions.Run((validator, sign) =>
        {
            string assertion = sign("jti-1");
            Assert.True(validator.Validate(assertion).IsValid);
            Assert.Equal(Assertions.Replayed, validator.Validate(assertion).Failure);
            Assert.Equal(Assertions.Replayed, validator.Validate(assertion).Failure);
        }));
        yield return Property("client assertion: the same jti re-signed (new ECDSA nonce, another token string) is a replay", () => Assertions.Run((validator, sign) =>
        {
            string first = sign("jti-2");
            string resigned = sign("jti-2");
            Assert.NotEqual(first, resigned);
            Assert.True(validator.Validate(first).IsValid);
            Assert.Equal(Assertions.Replayed, validator.Validate(resigned).Failure);
        }));
        yield return Property("client assertion: the ECDSA high-S twin of a used assertion (a valid signature, docs/ATTACKS.md C10) is a replay", () => Assertions.Run((validator, sign) =>
        {
            string first = sign("jti-3");
            string twin = WithSig(first, AttackCrypto.HighS(JwsAlgorithm.ES256, SigBytes(first)));
            Assert.True(validator.Validate(first).IsValid);
            Assert.Equal(Assertions.Replayed, validator.Validate(twin).Failure);
        }));
        yield return Property("client assertion control: another jti from the same client is accepted after a replay was refused", () => Assertions.Run((validator, sign) =>
        {
            string first = sign("jti-4");
            Assert.True(validator.Validate(first).IsValid);
            Assert.False(validator.Validate(first).IsValid);
            Assert.True(validator.Validate(sign("jti-5")).IsValid);
        }));

        foreach (int cache in new[] { 10_000, 0 })
        {
            yield return Property($"access token, cache {cache}: a caller's deny list is asked at every use, the cache's repeats included", () =>
            {
                JwsKey es = Key("ES256");
                var asked = new RecordingRevocations();
                TokenValidator v = V(es, cacheSize: cache, revocations: asked);
                string jti = "once-" + Guid.NewGuid().ToString("N");
                string token = Tok(es, ("jti", Q(jti)));
                for (int i = 0; i < 3; i++)
                {
                    Assert.True(v.Validate(token).IsValid);
                }

                Assert.Equal([jti, jti, jti], asked.Asked);
            });
        }
    }

    private static IEnumerable<AttackCase> H01()
    {
        byte[] modulus = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2048);
        modulus[0] |= 0x80;
        modulus[^1] |= 1;
        var jwk = new JsonObject { ["kty"] = "RSA", ["alg"] = "RS256", ["kid"] = "rsa-16k", ["n"] = Tokens.B64(modulus), ["e"] = "AQAB" };
        yield return KeyError("16384-bit RSA JWK in a JWKS", () => KeySet.FromJwks(JwkSet(jwk)));
        yield return KeyError("16384-bit RSA SPKI PEM", () =>
        {
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportParameters(new System.Security.Cryptography.RSAParameters { Modulus = modulus, Exponent = [1, 0, 1] });
            JwsKey.ImportPem(rsa.ExportSubjectPublicKeyInfoPem(), JwsAlgorithm.RS256);
        });
        yield return KeyError("8192 + 8 bits", () =>
        {
            byte[] n = System.Security.Cryptography.RandomNumberGenerator.GetBytes(1025);
            n[0] = 0x01;
            n[^1] |= 1;
            KeySet.FromJwks(JwkSet(new JsonObject { ["kty"] = "RSA", ["alg"] = "RS256", ["kid"] = "x", ["n"] = Tokens.B64(n), ["e"] = "AQAB" }));
        });
        JwsKey rs = Key("RS256");
        yield return Refuse("an RS256 token naming the refused key's kid finds no key", V(rs), Sign(rs, Header("RS256", "rsa-16k"), Claims()), UnknownKey);
    }

    private static IEnumerable<AttackCase> H04()
    {
        JwsKey es = Key("ES256");
        JwsKey attacker = JwsKey.Generate(JwsAlgorithm.ES256);
        var revoked = new HashSetRevocations("gone");
        (string Name, string? Raw)[] expired = [("exp", (Now - 3600).ToString()), ("iat", (Now - 3900).ToString())];
        var v = V(es, revocations: revoked);
        yield return Refuse("expired and forged (attacker signature, real kid)", v, Sign(attacker, Header(es), Claims(expired)), InvalidSignature);
        yield return Refuse("expired and signature bit-flipped", v, FlipLast(Tok(es, expired)), InvalidSignature);
        yield return Refuse("expired and unknown kid", v, Sign(es, Header("ES256", "nope"), Claims(expired)), UnknownKey);
        yield return Refuse("expired and alg not allowed", v, Sign(Key("ES384"), Header("ES384", es.KeyId), Claims(expired)), InvalidAlgorithm);
        yield return Refuse("expired and alg none", v, Tokens.B64(Header("none", es.KeyId)) + "." + Tokens.B64(Claims(expired)) + "." + S(Tokens.Valid(es)), InvalidAlgorithm);
        yield return Refuse("expired and wrong typ", v, Sign(es, Header(es, typ: "JWT"), Claims(expired)), InvalidType);
        yield return Refuse("expired and revoked", v, Tok(es, [.. expired, ("jti", Q("gone"))]), Expired);
        yield return Refuse("wrong issuer and revoked", v, Tok(es, ("iss", Q("https://other.test")), ("jti", Q("gone"))), InvalidIssuer);
        yield return Refuse("missing sub and expired", v, Tok(es, [.. expired, ("sub", null)]), MissingClaim);
        yield return Refuse("sub non-string and expired", v, Tok(es, [.. expired, ("sub", "1")]), Malformed);
        yield return Refuse("not yet valid and too long", v, Tok(es, ("nbf", (Now + 100).ToString()), ("exp", (Now + 7200).ToString())), NotYetValid);
        yield return Refuse("too long and wrong audience", v, Tok(es, ("exp", (Now + 7200).ToString()), ("aud", Q("other"))), LifetimeExceeded);
        yield return Refuse("wrong issuer and wrong audience", v, Tok(es, ("iss", Q("https://other.test")), ("aud", Q("other"))), InvalidIssuer);
        yield return Refuse("missing claim and wrong typ", v, Sign(es, Header(es, typ: "JWT"), Claims(("jti", null))), InvalidType);

        // Claim type errors are step 6: a forged signature (step 4) or a wrong typ (step 5) comes first.
        yield return Refuse("exp as a string and forged", v, Sign(attacker, Header(es), Claims(("exp", "\"soon\""))), InvalidSignature);
        yield return Refuse("exp as a string and wrong typ", v, Sign(es, Header(es, typ: "JWT"), Claims(("exp", "\"soon\""))), InvalidType);
        yield return Refuse("sub as a number and forged", v, Sign(attacker, Header(es), Claims(("sub", "1"))), InvalidSignature);
        yield return Refuse("aud as an object and forged", v, Sign(attacker, Header(es), Claims(("aud", "{}"))), InvalidSignature);

        // Step 1 covers the payload's JSON too: a payload that is not a JSON object wins over steps 2 and 3.
        yield return Refuse("payload not JSON and alg none", v, Tokens.B64(Header("none", es.KeyId)) + "." + Tokens.B64("not json") + "." + S(Tokens.Valid(es)), Malformed);
        yield return Refuse("payload not JSON and an over-long alg (17 characters)", v, Sign(es, Header("ES256-but-longer!", es.KeyId), "not json"), Malformed);
        yield return Refuse("payload not JSON and a 300-character kid", v, Sign(es, Header("ES256", new string('k', 300)), "not json"), Malformed);
        yield return Refuse("duplicate claim and unknown kid", v, Sign(es, Header("ES256", "nope"), Claims()[..^1] + ",\"sub\":\"x\"}"), Malformed);
    }

    private static string FlipLast(string token)
    {
        byte[] s = SigBytes(token);
        s[^1] ^= 1;
        return WithSig(token, s);
    }

    private static string Base64Text(string segment) => System.Text.Encoding.UTF8.GetString(Tessera.Jose.Base64Url.Decode(segment)!);
}

/// <summary>A deny list the test can add to after a token was accepted.</summary>
internal sealed class MutableRevocations : Tessera.Revocation.IRevocationList
{
    private readonly HashSet<string> _revoked = new(StringComparer.Ordinal);

    public void Revoke(string jti)
    {
        lock (_revoked)
        {
            _revoked.Add(jti);
        }
    }

    public bool IsRevoked(string jti)
    {
        lock (_revoked)
        {
            return _revoked.Contains(jti);
        }
    }
}

/// <summary>A deny list that revokes nothing and records every jti it is asked about.</summary>
internal sealed class RecordingRevocations : Tessera.Revocation.IRevocationList
{
    private readonly List<string> _asked = [];

    public IReadOnlyList<string> Asked
    {
        get
        {
            lock (_asked)
            {
                return [.. _asked];
            }
        }
    }

    public bool IsRevoked(string jti)
    {
        lock (_asked)
        {
            _asked.Add(jti);
        }

        return false;
    }
}

/// <summary>
/// A <see cref="ClientAssertionValidator"/> for one client with an ES256 key, over a SQLite store
/// in a scratch directory (made and removed per run), at <see cref="Tokens.Now"/>.
/// </summary>
internal static class Assertions
{
    public const string Client = "meter-gateway";

    public const string Replayed = "assertion replayed (jti already used)";

    /// <summary>Runs <paramref name="body"/> with the validator and a signer of assertions by jti.</summary>
    public static void Run(Action<ClientAssertionValidator, Func<string, string>> body)
    {
        JwsKey key = Kit.Key("ES256");
        var clock = new FakeClock(Tokens.Now);
        using var dir = new TempDir();
        using var store = new SqliteRevocationStore(dir["used.db"], clock);
        var validator = new ClientAssertionValidator(Tokens.Issuer, new Dictionary<string, KeySet> { [Client] = new([key]) }, store, clock);
        body(validator, jti => Kit.Sign(
            key,
            $$"""{"alg":"ES256","kid":"{{key.KeyId}}"}""",
            $$"""{"iss":"{{Client}}","sub":"{{Client}}","aud":"{{Tokens.Issuer}}/token","exp":{{Tokens.Now + 60}},"iat":{{Tokens.Now}},"jti":"{{jti}}"}"""));
    }
}
