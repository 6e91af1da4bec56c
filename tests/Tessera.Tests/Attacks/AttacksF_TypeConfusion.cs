using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>docs/ATTACKS.md section F: token-type confusion and substitution (step 5, and aud in step 6).</summary>
internal static partial class AttackCatalog
{
    private static IEnumerable<AttackRow> SectionF() =>
    [
        new("F01", "typ missing", "invalid_type for every key family", _ => F01()),
        new("F02", "ID token presented as access token", "invalid_type (typ JWT or absent); with typ at+jwt the client-id audience is invalid_audience", _ => F02()),
        new("F03", "Other JWT kinds from the same issuer", "invalid_type; a non-string typ is malformed", _ => F03()),
        new("F04", "typ spelling variants", "application/at+jwt and AT+JWT accepted (policy); trailing space, suffixes and look-alikes invalid_type", _ => F04()),
        new("F05", "Cross-audience substitution", "invalid_audience at the wrong resource server; accepted at the right one", _ => F05()),
        new("F06", "Nested JWT", "malformed: cty JWT (any case) is refused, whatever the inner token", _ => F06()),
        new("F07", "JWE wrapping forged claims with your public key", "malformed: real RSA-OAEP / RSA-OAEP-256 JWEs to the validator's key", _ => F07()),
    ];

    private static IEnumerable<AttackCase> F01()
    {
        foreach (string alg in new[] { "ES256", "RS256", "HS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            yield return Refuse(alg + " no typ", V(key), Sign(key, Header(key, typ: null), Claims()), InvalidType);
        }
    }

    private static IEnumerable<AttackCase> F02()
    {
        JwsKey es = Key("ES256");
        string idClaims = Claims(("aud", Q("client-123")), ("nonce", Q("n-0S6_WzA2Mj")), ("azp", Q("client-123")), ("auth_time", Now.ToString()));
        yield return Refuse("ID token, typ JWT", V(es), Sign(es, Header(es, typ: "JWT"), idClaims), InvalidType);
        yield return Refuse("ID token, no typ", V(es), Sign(es, Header(es, typ: null), idClaims), InvalidType);
        yield return Refuse("ID token shape with typ at+jwt (audience is the client)", V(es), Sign(es, Header(es), idClaims), InvalidAudience);
    }

    private static IEnumerable<AttackCase> F03()
    {
        JwsKey es = Key("ES256");
        foreach (string typ in new[] { "logout+jwt", "secevent+jwt", "dpop+jwt", "JWT", "jwt", "refresh+jwt", "application/jwt", "", "at+jwt+x", "id_token+jwt", "application/" })
        {
            yield return Refuse($"typ '{typ}'", V(es), Sign(es, Header(es, typ: typ), Claims()), InvalidType);
        }

        string kid = Q(es.KeyId);
        foreach (string raw in new[] { "123", "null", "[\"at+jwt\"]", "{\"at\":\"jwt\"}" })
        {
            yield return Refuse("typ " + raw, V(es), Sign(es, $"{{\"alg\":\"ES256\",\"typ\":{raw},\"kid\":{kid}}}", Claims()), Malformed);
        }
    }

    private static IEnumerable<AttackCase> F04()
    {
        JwsKey es = Key("ES256");
        foreach (string typ in new[] { "application/at+jwt", "AT+JWT", "At+Jwt", "Application/AT+JWT", "APPLICATION/at+jwt" })
        {
            yield return Accept($"typ '{typ}'", V(es), Sign(es, Header(es, typ: typ), Claims()));
        }

        foreach (string typ in new[] { "at+jwt ", " at+jwt", "at+JWT-x", "application/application/at+jwt", "at+jwt\u0000", "\uff41t+jwt", "application/at+jwt; charset=utf-8", "xapplication/at+jwt", "application at+jwt", "at-jwt", "at+jwt\n" })
        {
            yield return Refuse($"typ '{Escape(typ)}'", V(es), Sign(es, Header(es, typ: typ), Claims()), InvalidType);
        }

        var legacy = V(new KeySet([es]), o => o with { Type = "JWT" });
        yield return Accept("validator configured for typ JWT: JWT", legacy, Sign(es, Header(es, typ: "JWT"), Claims()));
        yield return Refuse("validator configured for typ JWT: at+jwt", legacy, Sign(es, Header(es), Claims()), InvalidType);
    }

    private static IEnumerable<AttackCase> F05()
    {
        JwsKey es = Key("ES256");
        string forBilling = Tok(es, ("aud", Q("billing")));
        yield return Refuse("token for billing replayed at api", V(es), forBilling, InvalidAudience);
        yield return Accept("control: the same token at billing", V(new KeySet([es]), o => o with { Audiences = ["billing"] }), forBilling);
    }

    private static IEnumerable<AttackCase> F06()
    {
        JwsKey es = Key("ES256");
        string innerNone = Tokens.B64("{\"alg\":\"none\"}") + "." + Tokens.B64(Claims(("sub", Q("admin")))) + ".";
        string innerOtherIssuer = Sign(JwsKey.Generate(JwsAlgorithm.ES256), Header("ES256", "other"), Claims(("iss", Q("https://evil.test"))));
        foreach ((string name, string inner) in new[] { ("inner alg none", innerNone), ("inner from another issuer", innerOtherIssuer), ("inner genuine token", Tokens.Valid(es)) })
        {
            yield return Refuse("cty JWT, " + name, V(es), Sign(es, Header(es, extra: "\"cty\":\"JWT\""), inner), Malformed);
            yield return Refuse("cty jwt, " + name, V(es), Sign(es, Header(es, extra: "\"cty\":\"jwt\""), inner), Malformed);
        }

        yield return Refuse("cty JWT over an ordinary claims set", V(es), Sign(es, Header(es, extra: "\"cty\":\"JWT\""), Claims()), Malformed);
        yield return Refuse("cty application/JWT over an inner token", V(es), Sign(es, Header(es, extra: "\"cty\":\"application/JWT\""), innerNone), Malformed);
        yield return Refuse("cty 123", V(es), Sign(es, Header(es, extra: "\"cty\":123"), Claims()), Malformed);
    }

    private static IEnumerable<AttackCase> F07()
    {
        JwsKey rs = Key("RS256");
        string forged = Claims(("sub", Q("admin")), ("scope", Q("admin write")));
        yield return Refuse("RSA-OAEP/A256GCM to the validator's RS256 public key", V(rs), Jwe.ToPublicKey(rs, "RSA-OAEP", forged), Malformed);
        yield return Refuse("RSA-OAEP-256/A256GCM", V(rs), Jwe.ToPublicKey(rs, "RSA-OAEP-256", forged), Malformed);
        yield return Refuse("the same JWE against a PS256 validator on that key", V(PublicOnly(Rebind(rs, JwsAlgorithm.PS256))), Jwe.ToPublicKey(rs, "RSA-OAEP", forged), Malformed);
        yield return Refuse("dir/A256GCM with an attacker key", V(rs), Jwe.Direct(forged), Malformed);
    }
}
