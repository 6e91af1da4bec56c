using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>docs/ATTACKS.md section B: algorithm handling (steps 2 and 3 of docs/SPEC.md §2).</summary>
internal static partial class AttackCatalog
{
    private static readonly JwsAlgorithm[] Hmacs = [JwsAlgorithm.HS256, JwsAlgorithm.HS384, JwsAlgorithm.HS512];

    private static IEnumerable<AttackRow> SectionB() =>
    [
        new("B01", "alg:none", "none with the empty signature is invalid_algorithm (docs/SPEC.md §2: an empty signature passes step 1, step 2 refuses none)", _ => B01()),
        new("B02", "none case variants", "None/NONE/nOnE: invalid_algorithm with an empty signature and with one", _ => B02()),
        new("B03", "none with the signature kept", "invalid_algorithm for every key family", _ => B03()),
        new("B04", "Near-none strings", "invalid_algorithm: exact case-sensitive allow-list match", _ => B04()),
        new("B05", "Missing or non-string alg", "malformed: no alg, null, 0, true, array, object", _ => B05()),
        new("B06", "Algorithm not on the allow-list", "invalid_algorithm; an Ed448 key is skipped by the key set, so its kid is unknown_key (docs/SPEC.md §1)", _ => B06()),
        new("B07", "Case variants of real algorithms", "invalid_algorithm", _ => B07()),
        new("B08", "RS256→HS256 key confusion, RSA key", "invalid_algorithm for 12 public-key encodings × HS256/384/512, with and without kid", _ => B08()),
        new("B09", "ES256→HS256 key confusion, EC key", "invalid_algorithm for 6 encodings × 3", _ => B09()),
        new("B10", "EdDSA→HS256 key confusion", "invalid_algorithm for 5 encodings × 3", _ => B10()),
        new("B11", "Alg swap within a key family", "invalid_algorithm: key pinned to PS512, tokens genuinely signed by it under RS256…PS384", _ => B11()),
        new("B12", "Header alg ≠ JWK alg", "invalid_algorithm for ES384/ES512 headers on an ES256 JWK; a JWK whose alg contradicts its curve is a KeyException", _ => B12()),
        new("B13", "Curve/alg mismatch", "KeyException when a P-384 key claims ES256; invalid_algorithm for an ES256 token naming a P-384 key", _ => B13()),
        new("B14", "PKCS#1 signature under a PS* header, and vice versa", "invalid_signature (same RSA key pinned to the header's alg)", _ => B14()),
        new("B15", "Symmetric alg with an asymmetric kid", "invalid_algorithm: HS256 naming RSA, EC and OKP kids", _ => B15()),
    ];

    private static IEnumerable<AttackCase> B01()
    {
        foreach (string alg in new[] { "ES256", "RS256", "HS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            yield return Refuse(alg + " validator, {alg:none,typ} H.P.", V(key), Tokens.B64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + Tokens.B64(Claims()) + ".", InvalidAlgorithm);
            yield return Refuse(alg + " validator, {alg:none} with the real kid", V(key), Tokens.B64(Header("none", key.KeyId)) + "." + Tokens.B64(Claims()) + ".", InvalidAlgorithm);
        }

        yield return Refuse("RFC 7519 §6.1 header {\"alg\":\"none\"}", V(Key("ES256")), Tokens.B64("{\"alg\":\"none\"}") + "." + Tokens.B64(Claims()) + ".", InvalidAlgorithm);
    }

    private static IEnumerable<AttackCase> B02()
    {
        JwsKey es = Key("ES256");
        string t = Tokens.Valid(es);
        foreach (string none in new[] { "None", "NONE", "nOnE", "none" })
        {
            string h = Tokens.B64(Header(none, es.KeyId));
            yield return Refuse(none + " with an empty signature", V(es), h + "." + P(t) + ".", InvalidAlgorithm);
            yield return Refuse(none + " with the original signature", V(es), h + "." + P(t) + "." + S(t), InvalidAlgorithm);
        }
    }

    private static IEnumerable<AttackCase> B03()
    {
        foreach (string alg in new[] { "ES256", "ES512", "RS256", "PS256", "HS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            yield return Refuse(alg + ": {alg:none,kid} + P + original S", V(key), Tokens.B64(Header("none", key.KeyId)) + "." + P(t) + "." + S(t), InvalidAlgorithm);
            yield return Refuse(alg + ": {alg:none} without kid + original S", V(key), Tokens.B64(Header("none", null)) + "." + P(t) + "." + S(t), InvalidAlgorithm);
        }
    }

    private static IEnumerable<AttackCase> B04()
    {
        JwsKey es = Key("ES256");
        string t = Tokens.Valid(es);
        foreach (string near in new[] { "none ", " none", "none\u0000", "non\u0435", "", "n\u200bone", "NONE\t" })
        {
            string h = Tokens.B64(Header(near, es.KeyId));
            yield return Refuse($"'{Escape(near)}' with a signature", V(es), h + "." + P(t) + "." + S(t), InvalidAlgorithm);
        }
    }

    private static IEnumerable<AttackCase> B05()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string kid = Q(es.KeyId);
        yield return Refuse("no alg", v, Sign(es, $"{{\"typ\":\"at+jwt\",\"kid\":{kid}}}", Claims()), Malformed);
        foreach (string alg in new[] { "null", "0", "true", "[\"ES256\"]", "{\"ES256\":1}", "256" })
        {
            yield return Refuse("alg " + alg, v, Sign(es, $"{{\"alg\":{alg},\"typ\":\"at+jwt\",\"kid\":{kid}}}", Claims()), Malformed);
        }
    }

    private static IEnumerable<AttackCase> B06()
    {
        JwsKey es = Key("ES256");
        foreach (JwsAlgorithm hmac in Hmacs)
        {
            JwsKey hk = Key(hmac.Name);
            yield return Refuse(hmac.Name + " (real MAC, own kid) to an ES256-only validator", V(es), Tokens.Valid(hk), InvalidAlgorithm);
            yield return Refuse(hmac.Name + " (real MAC) naming the ES256 kid", V(es), Sign(hk, Header(hmac.Name, es.KeyId), Claims()), InvalidAlgorithm);
        }

        foreach (string alg in new[] { "RS1", "ES256K", "ES224", "Ed25519", "Ed448", "HS1", "RS128" })
        {
            yield return Refuse(alg, V(es), Sign(es, Header(alg, es.KeyId), Claims()), InvalidAlgorithm);
        }

        JwsKey ps = Key("PS256");
        yield return Refuse("PS256 (genuinely signed) to an ES256-only validator", V(es), Tokens.Valid(ps), InvalidAlgorithm);
        yield return Refuse("PS256 key in the set but PS256 not on the allow-list", VAllow(new KeySet([es, ps]), JwsAlgorithm.ES256), Tokens.Valid(ps), InvalidAlgorithm);

        // Ed448 is not supported: the JWKS entry is skipped (docs/SPEC.md §1), so naming it finds no key.
        JwsKey ed = Key("EdDSA");
        var ed448 = new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed448", ["kid"] = "ed448-key", ["x"] = Tokens.B64(RandomNumberGenerator.GetBytes(57)) };
        KeySet set = KeySet.FromJwks(JwkSet(ed448, JwkOf(ed)));
        yield return Property("the Ed448 JWK is skipped and counted", () =>
        {
            Assert.Equal(1, set.Skipped);
            Assert.False(set.TryFind("ed448-key", out _));
        });
        string ed448Token = Tokens.B64(Header("EdDSA", "ed448-key")) + "." + Tokens.B64(Claims()) + "." + Tokens.B64(RandomNumberGenerator.GetBytes(114));
        yield return Refuse("EdDSA naming an Ed448 key (114-byte signature)", V(set), ed448Token, UnknownKey);
    }

    private static IEnumerable<AttackCase> B07()
    {
        JwsKey rs = Key("RS256");
        JwsKey es = Key("ES256");
        JwsKey ed = Key("EdDSA");
        foreach (string alg in new[] { "rs256", "Rs256", "RS256 ", " RS256", "\uff32\uff33256", "RS256\u0000" })
        {
            yield return Refuse($"'{Escape(alg)}' (signed by the RS256 key)", V(rs), Sign(rs, Header(alg, rs.KeyId), Claims()), InvalidAlgorithm);
        }

        yield return Refuse("'ES256\\u200b' (signed by the ES256 key)", V(es), Sign(es, Header("ES256\u200b", es.KeyId), Claims()), InvalidAlgorithm);
        yield return Refuse("'es256'", V(es), Sign(es, Header("es256", es.KeyId), Claims()), InvalidAlgorithm);
        yield return Refuse("'eddsa'", V(ed), Sign(ed, Header("eddsa", ed.KeyId), Claims()), InvalidAlgorithm);
        yield return Refuse("'EDDSA'", V(ed), Sign(ed, Header("EDDSA", ed.KeyId), Claims()), InvalidAlgorithm);
        yield return Refuse("'Ed25519'", V(ed), Sign(ed, Header("Ed25519", ed.KeyId), Claims()), InvalidAlgorithm);
    }

    private static IEnumerable<AttackCase> B08()
    {
        JwsKey rs = Key("RS256");
        using RSA rsa = AttackCrypto.RsaOf(rs);
        using X509Certificate2 cert = AttackCrypto.SelfSigned(rs, "CN=issuer.test");
        string spkiPem = rsa.ExportSubjectPublicKeyInfoPem();
        string jwkJson = rs.ExportJwk();
        JsonObject jwk = JwkOf(rs);
        string canonical = $"{{\"e\":\"{jwk["e"]}\",\"kty\":\"RSA\",\"n\":\"{jwk["n"]}\"}}";
        var secrets = new (string Name, byte[] Secret)[]
        {
            ("(a) SPKI PEM with trailing LF", Utf8(spkiPem.TrimEnd() + "\n")),
            ("(b) SPKI PEM without trailing LF", Utf8(spkiPem.TrimEnd())),
            ("(c) SPKI PEM with CRLF", Utf8(spkiPem.TrimEnd().ReplaceLineEndings("\r\n") + "\r\n")),
            ("(d) PKCS#1 RSA PUBLIC KEY PEM", Utf8(rsa.ExportRSAPublicKeyPem() + "\n")),
            ("(e) SPKI DER", rsa.ExportSubjectPublicKeyInfo()),
            ("(f) PKCS#1 DER", rsa.ExportRSAPublicKey()),
            ("(g) raw modulus n", rsa.ExportParameters(false).Modulus!),
            ("(h) the JWK JSON as served", Utf8(jwkJson)),
            ("(h') the whole JWKS document", Utf8(new KeySet([rs]).ToJwks())),
            ("(i) RFC 7638 canonical JWK", Utf8(canonical)),
            ("(j) the ASCII n string", Utf8(jwk["n"]!.GetValue<string>())),
            ("(k) x5c certificate DER", cert.RawData),
            ("(k') x5c certificate PEM", Utf8(cert.ExportCertificatePem() + "\n")),
        };
        foreach (TokenCase c in Confusion(rs, secrets))
        {
            yield return c;
        }

        var allRsa = VAllow(new KeySet([rs]), JwsAlgorithm.RS256, JwsAlgorithm.RS384, JwsAlgorithm.RS512, JwsAlgorithm.PS256);
        yield return Refuse("(a) HS256 against an allow-list of every RSA algorithm", allRsa, MacToken(JwsAlgorithm.HS256, secrets[0].Secret, Header("HS256", rs.KeyId), Claims()), InvalidAlgorithm);
    }

    private static IEnumerable<AttackCase> B09()
    {
        JwsKey es = Key("ES256");
        using ECDsa ecdsa = AttackCrypto.EcdsaOf(es);
        ECParameters p = ecdsa.ExportParameters(false);
        JsonObject jwk = JwkOf(es);
        var secrets = new (string Name, byte[] Secret)[]
        {
            ("uncompressed point 04||X||Y", [0x04, .. p.Q.X!, .. p.Q.Y!]),
            ("compressed point", [(byte)(0x02 | (p.Q.Y![^1] & 1)), .. p.Q.X!]),
            ("SPKI DER", ecdsa.ExportSubjectPublicKeyInfo()),
            ("SPKI PEM", Utf8(ecdsa.ExportSubjectPublicKeyInfoPem() + "\n")),
            ("JWK JSON as served", Utf8(es.ExportJwk())),
            ("RFC 7638 canonical JWK", Utf8($"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}")),
        };
        return Confusion(es, secrets);
    }

    private static IEnumerable<AttackCase> B10()
    {
        JwsKey ed = Key("EdDSA");
        byte[] x = AttackCrypto.Ed25519Public(ed);
        string pem = ed.ExportPublicKeyPem();
        byte[] der = [.. Convert.FromHexString("302a300506032b6570032100"), .. x]; // RFC 8410 SPKI for Ed25519
        byte[] name = "ssh-ed25519"u8.ToArray();
        byte[] blob = [0, 0, 0, (byte)name.Length, .. name, 0, 0, 0, 32, .. x];
        var secrets = new (string Name, byte[] Secret)[]
        {
            ("raw 32-byte x", x),
            ("SPKI DER", der),
            ("SPKI PEM", Utf8(pem)),
            ("ssh-ed25519 OpenSSH text", Utf8("ssh-ed25519 " + Convert.ToBase64String(blob) + " issuer@test\n")),
            ("JWK JSON as served", Utf8(ed.ExportJwk())),
        };
        return Confusion(ed, secrets);
    }

    private static IEnumerable<TokenCase> Confusion(JwsKey key, (string Name, byte[] Secret)[] secrets)
    {
        foreach ((string name, byte[] secret) in secrets)
        {
            foreach (JwsAlgorithm hmac in Hmacs)
            {
                yield return Refuse($"{hmac.Name} keyed with {name}, kid of the {key.KeyType} key", V(key), MacToken(hmac, secret, Header(hmac.Name, key.KeyId), Claims()), InvalidAlgorithm);
                yield return Refuse($"{hmac.Name} keyed with {name}, no kid", V(key), MacToken(hmac, secret, Header(hmac.Name, null), Claims()), InvalidAlgorithm);
            }
        }
    }

    private static IEnumerable<AttackCase> B11()
    {
        JwsKey pinned = Rebind(Key("RS256"), JwsAlgorithm.PS512);
        var keys = new KeySet([PublicOnly(pinned)]);
        var wide = VAllow(keys, JwsAlgorithm.RS256, JwsAlgorithm.RS384, JwsAlgorithm.RS512, JwsAlgorithm.PS256, JwsAlgorithm.PS384, JwsAlgorithm.PS512);
        yield return Accept("control: PS512 by the pinned key", wide, Tok(pinned));
        foreach (JwsAlgorithm alg in new[] { JwsAlgorithm.RS256, JwsAlgorithm.RS384, JwsAlgorithm.RS512, JwsAlgorithm.PS256, JwsAlgorithm.PS384 })
        {
            JwsKey same = Rebind(pinned, alg);
            string token = Tok(same);
            yield return Refuse($"{alg.Name}, genuinely signed by the PS512 key, wide allow-list", wide, token, InvalidAlgorithm);
            yield return Refuse($"{alg.Name}, default allow-list (PS512 only)", V(keys), token, InvalidAlgorithm);
        }
    }

    private static IEnumerable<AttackCase> B12()
    {
        JwsKey es = Key("ES256");
        KeySet set = KeySet.FromJwks(JwkSet(JwkOf(es))); // the JWK carries "alg":"ES256"
        var v = VAllow(set, JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.ES512);
        yield return Accept("control: ES256 token", v, Tok(es));
        yield return Refuse("ES384 header, signed by a P-384 key, kid of the ES256 JWK", v, Sign(Key("ES384"), Header("ES384", es.KeyId), Claims()), InvalidAlgorithm);
        yield return Refuse("ES512 header, signed by a P-521 key, kid of the ES256 JWK", v, Sign(Key("ES512"), Header("ES512", es.KeyId), Claims()), InvalidAlgorithm);
        JsonObject es512OnP256 = JwkOf(es);
        es512OnP256["alg"] = "ES512";
        yield return KeyError("JWK alg ES512 on a P-256 key (Wycheproof tcId 19 shape)", () => KeySet.FromJwks(JwkSet(es512OnP256)));
        JsonObject rsOnEc = JwkOf(es);
        rsOnEc["alg"] = "RS256";
        yield return KeyError("JWK alg RS256 on an EC key", () => KeySet.FromJwks(JwkSet(rsOnEc)));
    }

    private static IEnumerable<AttackCase> B13()
    {
        JwsKey p384 = Key("ES384");
        JwsKey p256 = Key("ES256");
        JsonObject jwk = JwkOf(p384);
        jwk["alg"] = "ES256";
        yield return KeyError("JWK crv P-384 with alg ES256", () => KeySet.FromJwks(JwkSet(jwk)));
        yield return KeyError("P-384 PEM imported for ES256", () => JwsKey.ImportPem(p384.ExportPublicKeyPem(), JwsAlgorithm.ES256));
        yield return KeyError("P-256 PEM imported for ES512", () => JwsKey.ImportPem(p256.ExportPrivateKeyPem(), JwsAlgorithm.ES512));
        yield return KeyError("P-256 PEM imported for EdDSA", () => JwsKey.ImportPem(p256.ExportPublicKeyPem(), JwsAlgorithm.EdDSA));
        var v = VAllow(new KeySet([p384, Key("ES512")]), JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.ES512);
        yield return Refuse("ES256 token naming the P-384 key", v, Sign(p256, Header("ES256", p384.KeyId), Claims()), InvalidAlgorithm);
        yield return Refuse("ES512 token naming the P-256 key", VAllow(new KeySet([p256]), JwsAlgorithm.ES256, JwsAlgorithm.ES512), Sign(Key("ES512"), Header("ES512", p256.KeyId), Claims()), InvalidAlgorithm);
    }

    private static IEnumerable<AttackCase> B14()
    {
        JwsKey rs = Key("RS256");
        var pairs = new (JwsAlgorithm Header, JwsAlgorithm Actual)[]
        {
            (JwsAlgorithm.PS256, JwsAlgorithm.RS256),
            (JwsAlgorithm.RS256, JwsAlgorithm.PS256),
            (JwsAlgorithm.PS384, JwsAlgorithm.RS384),
            (JwsAlgorithm.RS512, JwsAlgorithm.PS512),
        };
        foreach ((JwsAlgorithm header, JwsAlgorithm actual) in pairs)
        {
            JwsKey pinned = Rebind(rs, header);
            JwsKey signer = Rebind(rs, actual);
            string input = Tokens.B64(Header(pinned)) + "." + Tokens.B64(Claims());
            string token = Tokens.SignEncoded(signer, input);
            yield return Refuse($"{header.Name} header, {actual.Name} signature, same RSA key pinned to {header.Name}", V(PublicOnly(pinned)), token, InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> B15()
    {
        byte[] random = RandomNumberGenerator.GetBytes(32);
        foreach (string alg in new[] { "RS256", "ES256", "EdDSA", "PS256" })
        {
            JwsKey key = Key(alg);
            yield return Refuse($"HS256 (random secret) naming the {alg} kid", V(key), MacToken(JwsAlgorithm.HS256, random, Header("HS256", key.KeyId), Claims()), InvalidAlgorithm);
            yield return Refuse($"HS512 (random secret) naming the {alg} kid", V(key), MacToken(JwsAlgorithm.HS512, random, Header("HS512", key.KeyId), Claims()), InvalidAlgorithm);
            yield return Refuse($"HS256 with an embedded jwk naming the {alg} kid", V(key), MacToken(JwsAlgorithm.HS256, random, Header("HS256", key.KeyId, extra: "\"jwk\":" + key.ExportJwk()), Claims()), InvalidAlgorithm);
        }
    }
}
