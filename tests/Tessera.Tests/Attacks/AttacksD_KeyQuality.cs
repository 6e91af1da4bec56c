using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;
using static Tessera.Tests.Attacks.AttackCrypto;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>docs/ATTACKS.md D15–D25: key quality. Each is a KeyException when the key or the set is loaded (docs/SPEC.md §1).</summary>
internal static partial class AttackCatalog
{
    private static IEnumerable<AttackCase> D15()
    {
        JwsKey hs = Key("HS256");
        JwsKey es = Key("ES256");
        yield return KeyError("JWKS with an oct key and an EC key", () => KeySet.FromJwks(JwkSet(JwkOf(hs, includePrivate: true), JwkOf(es))));
        yield return KeyError("KeySet of an HMAC key and an EC key", () => new KeySet([hs, es]));
        yield return KeyError("KeySet of an HMAC key and an RSA key", () => new KeySet([Key("RS256"), Key("HS512")]));
        JsonObject a = JwkOf(es);
        JsonObject b = JwkOf(JwsKey.Generate(JwsAlgorithm.ES256));
        b["kid"] = es.KeyId;
        yield return KeyError("JWKS with two keys sharing a kid", () => KeySet.FromJwks(JwkSet(a, b)));
        yield return KeyError("JWKS with the same key twice", () => KeySet.FromJwks(JwkSet(a, a)));
        yield return KeyError("KeySet with two keys given the same kid", () => new KeySet([WithKid(es, "dup"), WithKid(Key("EdDSA"), "dup")]));
        yield return KeyError("KeySet with two HMAC keys given the same kid", () => new KeySet([WithKid(hs, "dup"), WithKid(Key("HS384"), "dup")]));
    }

    private static IEnumerable<AttackCase> D16()
    {
        using RSA small = RSA.Create(1024);
        using RSA almost = RSA.Create(2040);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["alg"] = "RS256",
            ["kid"] = "rsa-1024",
            ["n"] = Tokens.B64(small.ExportParameters(false).Modulus!),
            ["e"] = "AQAB",
        };
        yield return KeyError("1024-bit JWK in a JWKS", () => KeySet.FromJwks(JwkSet(jwk)));
        yield return KeyError("1024-bit SPKI PEM", () => JwsKey.ImportPem(small.ExportSubjectPublicKeyInfoPem(), JwsAlgorithm.RS256));
        yield return KeyError("1024-bit PKCS#8 PEM", () => JwsKey.ImportPem(small.ExportPkcs8PrivateKeyPem(), JwsAlgorithm.RS256));
        yield return KeyError("1024-bit PKCS#1 PEM", () => JwsKey.ImportPem(small.ExportRSAPublicKeyPem(), JwsAlgorithm.PS256));
        yield return KeyError("2040-bit SPKI PEM", () => JwsKey.ImportPem(almost.ExportSubjectPublicKeyInfoPem(), JwsAlgorithm.RS256));
        yield return KeyError("JwsKey.Generate(RS256, 1024)", () => JwsKey.Generate(JwsAlgorithm.RS256, 1024));
        yield return KeyError("JwsKey.Generate(PS256, 2047)", () => JwsKey.Generate(JwsAlgorithm.PS256, 2047));
        yield return Property("the refusal names the minimum", () =>
        {
            KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportPem(small.ExportSubjectPublicKeyInfoPem(), JwsAlgorithm.RS256));
            Assert.Contains("2048", ex.Message, StringComparison.Ordinal);
        });
    }

    private static IEnumerable<AttackCase> D17()
    {
        JsonObject baseJwk = JwkOf(Key("RS256"));
        foreach (BigInteger e in new BigInteger[] { 1, 2, 3, 17, 65535, 65536, 65538, 0 })
        {
            JsonObject jwk = baseJwk.DeepClone().AsObject();
            jwk["e"] = Tokens.B64(e.IsZero ? [0] : e.ToByteArray(isUnsigned: true, isBigEndian: true));
            yield return KeyError($"e = {e}", () => KeySet.FromJwks(JwkSet(jwk)));
        }
    }

    private static IEnumerable<AttackCase> D18()
    {
        using JsonDocument doc = TestVectors.ParseJson("wycheproof/json_web_key_test.json");
        JsonElement group = doc.RootElement.GetProperty("testGroups").EnumerateArray()
            .First(g => g.GetProperty("tests").EnumerateArray().Any(t => t.GetProperty("tcId").GetInt32() == 7));
        string jwks = group.GetProperty("public").GetRawText();
        yield return KeyError("Wycheproof json_web_key tcId 7 (ROCA modulus)", () => KeySet.FromJwks(jwks));
    }

    private static IEnumerable<AttackCase> D19()
    {
        JwsKey es = Key("ES256");
        JsonObject good = JwkOf(es);
        byte[] x = Base64UrlBytes(good["x"]!);
        byte[] y = Base64UrlBytes(good["y"]!);
        JsonObject With(byte[] nx, byte[] ny)
        {
            JsonObject j = good.DeepClone().AsObject();
            j["x"] = Tokens.B64(nx);
            j["y"] = Tokens.B64(ny);
            return j;
        }

        byte[] yFlip = [.. y];
        yFlip[^1] ^= 1;
        yield return KeyError("one bit of y flipped", () => KeySet.FromJwks(JwkSet(With(x, yFlip))));
        yield return KeyError("point at infinity (0, 0)", () => KeySet.FromJwks(JwkSet(With(new byte[32], new byte[32]))));
        (BigInteger sx, BigInteger sy) = SmallXPointP256();
        yield return Property("control: the small-x point is on the curve and loads", () => KeySet.FromJwks(JwkSet(With(I2osp(sx, 32), I2osp(sy, 32)))));
        yield return KeyError("x + p for the same point (x ≥ p)", () => KeySet.FromJwks(JwkSet(With(I2osp(sx + P256Prime, 32), I2osp(sy, 32)))));
        yield return KeyError("x = p, y = 0", () => KeySet.FromJwks(JwkSet(With(I2osp(P256Prime, 32), new byte[32]))));
        yield return KeyError("x 31 bytes (leading byte stripped)", () => KeySet.FromJwks(JwkSet(With(x[1..], y))));
        yield return KeyError("y 33 bytes (leading zero added)", () => KeySet.FromJwks(JwkSet(With(x, [0, .. y]))));
        yield return KeyError("x 48 bytes on P-256", () => KeySet.FromJwks(JwkSet(With([.. new byte[16], .. x], y))));
        JwsKey stripped = TokenWhereKey(() => JwsKey.Generate(JwsAlgorithm.ES256), k => Base64UrlBytes(JwkOf(k)["x"]!)[0] == 0);
        JsonObject strippedJwk = JwkOf(stripped);
        strippedJwk["x"] = Tokens.B64(Base64UrlBytes(strippedJwk["x"]!)[1..]);
        yield return KeyError("leading-zero-stripped x of a real key", () => KeySet.FromJwks(JwkSet(strippedJwk)));
        foreach (string alg in new[] { "ES384", "ES512" })
        {
            JsonObject j = JwkOf(Key(alg));
            byte[] yy = Base64UrlBytes(j["y"]!);
            yy[^1] ^= 1;
            j["y"] = Tokens.B64(yy);
            yield return KeyError(alg + " one bit of y flipped", () => KeySet.FromJwks(JwkSet(j)));
        }
    }

    private static IEnumerable<AttackCase> D20()
    {
        JsonObject ec = JwkOf(Key("ES256"));
        JsonObject rsa = JwkOf(Key("RS256"));
        JsonObject ecAsRsa = ec.DeepClone().AsObject();
        ecAsRsa["kty"] = "RSA";
        yield return KeyError("EC members with kty RSA, alg ES256 (Wycheproof tcId 24 shape)", () => KeySet.FromJwks(JwkSet(ecAsRsa)));
        JsonObject ecAsRsaNoAlg = ecAsRsa.DeepClone().AsObject();
        ecAsRsaNoAlg.Remove("alg");
        yield return KeyError("EC members with kty RSA, no alg, fallback RS256", () => KeySet.FromJwks(JwkSet(ecAsRsaNoAlg), JwsAlgorithm.RS256));
        KeySet skipped = KeySet.FromJwks(JwkSet(ecAsRsaNoAlg));
        yield return Property("EC members with kty RSA, no alg, no fallback: skipped and never used", () =>
        {
            Assert.Equal(1, skipped.Skipped);
            Assert.Empty(skipped.Keys);
        });
        JsonObject rsaAsEc = rsa.DeepClone().AsObject();
        rsaAsEc["kty"] = "EC";
        yield return KeyError("RSA members with kty EC, alg RS256", () => KeySet.FromJwks(JwkSet(rsaAsEc)));
        JsonObject rsaAsEcCrv = rsaAsEc.DeepClone().AsObject();
        rsaAsEcCrv.Remove("alg");
        rsaAsEcCrv["crv"] = "P-256";
        yield return KeyError("RSA members with kty EC and crv P-256", () => KeySet.FromJwks(JwkSet(rsaAsEcCrv)));
        JsonObject okpEs = JwkOf(Key("EdDSA"));
        okpEs["alg"] = "ES256";
        yield return KeyError("OKP Ed25519 with alg ES256", () => KeySet.FromJwks(JwkSet(okpEs)));
        JsonObject octRs = JwkOf(Key("HS256"), includePrivate: true);
        octRs["alg"] = "RS256";
        yield return KeyError("oct with alg RS256", () => KeySet.FromJwks(JwkSet(octRs)));
        JsonObject rsaHs = rsa.DeepClone().AsObject();
        rsaHs["alg"] = "HS256";
        yield return KeyError("RSA with alg HS256 (public key as HMAC secret)", () => KeySet.FromJwks(JwkSet(rsaHs)));
        JsonObject ecHs = ec.DeepClone().AsObject();
        ecHs["alg"] = "HS256";
        yield return KeyError("EC with alg HS256", () => KeySet.FromJwks(JwkSet(ecHs)));
    }

    private static IEnumerable<AttackCase> D21()
    {
        foreach ((JwsAlgorithm alg, int length) in new[] { (JwsAlgorithm.HS256, 31), (JwsAlgorithm.HS384, 47), (JwsAlgorithm.HS512, 63), (JwsAlgorithm.HS256, 0), (JwsAlgorithm.HS384, 0), (JwsAlgorithm.HS512, 0), (JwsAlgorithm.HS512, 32) })
        {
            byte[] secret = RandomNumberGenerator.GetBytes(length);
            var jwk = new JsonObject { ["kty"] = "oct", ["alg"] = alg.Name, ["kid"] = "short", ["k"] = Tokens.B64(secret) };
            yield return KeyError($"{alg.Name} {length}-byte secret in a JWKS", () => KeySet.FromJwks(JwkSet(jwk)));
            yield return KeyError($"{alg.Name} {length}-byte secret as one JWK", () => JwsKey.ImportJwk(jwk.ToJsonString()));
            yield return KeyError($"{alg.Name} {length}-byte secret constructed directly", () => new HmacKey(alg, secret, "short"));
        }

        yield return Property("the refusal names the minimum", () =>
        {
            KeyException ex = Assert.Throws<KeyException>(() => new HmacKey(JwsAlgorithm.HS256, new byte[31], null));
            Assert.Contains("32", ex.Message, StringComparison.Ordinal);
        });
    }

    private static IEnumerable<AttackCase> D22()
    {
        JwsKey hs = Key("HS256");
        foreach (string guess in new[] { "secret", "your-256-bit-secret", "changeme", "password", "", "jwt-secret", "supersecret" })
        {
            byte[] secret = System.Text.Encoding.UTF8.GetBytes(guess);
            yield return Refuse($"MAC keyed with '{guess}', real kid", V(hs), MacToken(JwsAlgorithm.HS256, secret, Header(hs), Claims()), InvalidSignature);
            yield return KeyError($"'{guess}' cannot be loaded as an HS256 secret", () => new HmacKey(JwsAlgorithm.HS256, secret, null));
        }
    }

    private static IEnumerable<AttackCase> D23()
    {
        JwsKey hs = Key("HS256");
        foreach (string alg in new[] { "A256GCM", "A256KW", "A128CBC-HS256", "dir" })
        {
            byte[] k = RandomNumberGenerator.GetBytes(32);
            var aes = new JsonObject { ["kty"] = "oct", ["alg"] = alg, ["use"] = "sig", ["kid"] = "kid-aes-sign", ["k"] = Tokens.B64(k) };
            yield return KeyError($"{alg} JWK imported as one key", () => JwsKey.ImportJwk(aes.ToJsonString()));
            KeySet set = KeySet.FromJwks(JwkSet(aes, JwkOf(hs, includePrivate: true)));
            yield return Property($"{alg} JWK in a set: skipped and counted", () =>
            {
                Assert.Equal(1, set.Skipped);
                Assert.False(set.TryFind("kid-aes-sign", out _));
            });
            yield return Refuse($"HS256 MACed with the {alg} key, naming it", V(set), MacToken(JwsAlgorithm.HS256, k, Header("HS256", "kid-aes-sign"), Claims()), UnknownKey);
        }
    }

    private static IEnumerable<AttackCase> D24()
    {
        foreach (string alg in new[] { "ES256", "RS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            JsonObject full = JwkOf(key, includePrivate: true);
            yield return KeyError(alg + " private JWK in a public JWKS", () => KeySet.FromJwks(JwkSet(full)));
        }

        JsonObject rsa = JwkOf(Key("RS256"), includePrivate: true);
        foreach (string member in new[] { "d", "p", "q", "dp", "dq", "qi" })
        {
            JsonObject only = JwkOf(Key("RS256"));
            only[member] = rsa[member]!.DeepClone();
            yield return KeyError($"RSA public JWK plus only '{member}'", () => KeySet.FromJwks(JwkSet(only)));
        }

        JsonObject oth = JwkOf(Key("RS256"));
        oth["oth"] = new JsonArray();
        yield return KeyError("RSA public JWK plus 'oth'", () => KeySet.FromJwks(JwkSet(oth)));
    }

    private static IEnumerable<AttackCase> D25()
    {
        JsonObject Rsa(byte[] n, byte[] e) => new() { ["kty"] = "RSA", ["alg"] = "RS256", ["kid"] = "big", ["n"] = Tokens.B64(n), ["e"] = Tokens.B64(e) };
        byte[] OddModulus(int bytes)
        {
            byte[] n = RandomNumberGenerator.GetBytes(bytes);
            n[0] |= 0x80;
            n[^1] |= 1;
            return n;
        }

        byte[] f4 = [1, 0, 1];
        yield return KeyError("16384-bit modulus", () => KeySet.FromJwks(JwkSet(Rsa(OddModulus(2048), f4))));
        yield return KeyError("8200-bit modulus", () => KeySet.FromJwks(JwkSet(Rsa(OddModulus(1025), f4))));
        yield return KeyError("1 MB modulus (as one JWK)", () => JwsKey.ImportJwk(Rsa(OddModulus(1 << 20), f4).ToJsonString()));
        yield return KeyError("JWKS document over 1 MiB", () => KeySet.FromJwks(JwkSet(Rsa(OddModulus(800_000), f4))));
        byte[] n2048 = Base64UrlBytes(JwkOf(Key("RS256"))["n"]!);
        yield return KeyError("e = 2^256 + 1", () => KeySet.FromJwks(JwkSet(Rsa(n2048, I2osp(BigInteger.Pow(2, 256) + 1, 33)))));
        yield return KeyError("e of 1000 bytes", () => KeySet.FromJwks(JwkSet(Rsa(n2048, [.. Enumerable.Repeat((byte)0xFF, 1000)]))));
        yield return KeyError("16384-bit SPKI PEM", () =>
        {
            using RSA big = RSA.Create();
            big.ImportParameters(new RSAParameters { Modulus = OddModulus(2048), Exponent = f4 });
            JwsKey.ImportPem(big.ExportSubjectPublicKeyInfoPem(), JwsAlgorithm.RS256);
        });
        yield return KeyError("JwsKey.Generate(RS256, 16384)", () => JwsKey.Generate(JwsAlgorithm.RS256, 16384));
    }
}
