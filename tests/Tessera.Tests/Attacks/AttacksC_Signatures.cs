// SHA-1 appears only to build attack inputs (wrong-hash encodings), never to protect anything.
#pragma warning disable CA5350
using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;
using static Tessera.Tests.Attacks.AttackCrypto;
using static Tessera.Tests.Attacks.Kit;
using static Tessera.Validation.ValidationError;

namespace Tessera.Tests.Attacks;

/// <summary>docs/ATTACKS.md section C: cryptographic edge cases of step 4.</summary>
internal static partial class AttackCatalog
{
    private static readonly string[] AllFamilies = ["HS256", "RS256", "PS256", "ES256", "ES384", "ES512", "EdDSA"];

    private static IEnumerable<AttackRow> SectionC() =>
    [
        new("C01", "Empty signature, real alg", "invalid_signature (docs/SPEC.md §2: an empty signature passes step 1 and fails step 4)", _ => C01()),
        new("C02", "Bit-flipped signature", "invalid_signature: first and last byte, every family", _ => C02()),
        new("C03", "Modified payload, original signature", "invalid_signature", _ => C03()),
        new("C04", "Modified header, original signature", "invalid_signature (the header bytes as sent are signed); an unknown new kid is unknown_key", _ => C04()),
        new("C05", "Truncated or extended signature", "invalid_signature", _ => C05()),
        new("C06", "ECDSA psychic signature r = s = 0", "invalid_signature for ES256/384/512", _ => C06()),
        new("C07", "ECDSA out-of-range r or s", "invalid_signature for all 36 combinations of {0,1,n−1,n,n+1,2^256−1}", _ => C07()),
        new("C08", "ECDSA DER instead of IEEE P1363", "invalid_signature for real DER signatures by the right key", _ => C08()),
        new("C09", "ECDSA wrong-length P1363", "invalid_signature for 63, 65, zero-padded and oversized buffers", _ => C09()),
        new("C10", "ECDSA high-S variant (malleability)", "accepted (policy: JOSE has no low-S rule) for ES256/384/512", _ => C10()),
        new("C11", "RSA PKCS#1 v1.5 padding and DigestInfo variants", "invalid_signature for hand-built encodings signed with the real key; the correct hand-built encoding verifies; an e=3 key is a KeyException", _ => C11()),
        new("C12", "RSA signature integer edge cases", "invalid_signature for 0, 1, n−1, n, n+1, 2^k−1, short and long", _ => C12()),
        new("C13", "RSA-PSS parameter variants", "invalid_signature for salt ≠ hash length, other MGF1 hash, bad trailer; correct hand-built PSS verifies", _ => C13()),
        new("C14", "Ed25519 S ≥ L (non-canonical scalar)", "invalid_signature for S+L, S+2L, S+8L, S+2^253", _ => C14()),
        new("C15", "Ed25519 small-order A or R", "small-order public keys are a KeyException; small-order R is invalid_signature", _ => C15()),
        new("C16", "Ed25519 non-canonical encodings of A or R", "y ≥ p public keys are a KeyException; y ≥ p in R is invalid_signature", _ => C16()),
        new("C17", "Ed25519 wrong signature length", "invalid_signature for 0, 32, 63, 65, 96, 128 bytes", _ => C17()),
        new("C18", "Non-constant-time MAC comparison", "structural: HMAC verify calls CryptographicOperations.FixedTimeEquals and no ordinary comparison; equal-length MACs wrong in the first or the last byte are both invalid_signature", _ => C18()),
    ];

    private static IEnumerable<AttackCase> C01()
    {
        foreach (string alg in new[] { "RS256", "ES256", "HS256", "EdDSA", "PS256" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            yield return Refuse(alg + " H.P.", V(key), H(t) + "." + P(t) + ".", InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> C02()
    {
        foreach (string alg in AllFamilies)
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            byte[] first = SigBytes(t);
            first[0] ^= 0x01;
            byte[] last = SigBytes(t);
            last[^1] ^= 0x80;
            yield return Refuse(alg + " first byte, low bit", V(key), WithSig(t, first), InvalidSignature);
            yield return Refuse(alg + " last byte, high bit", V(key), WithSig(t, last), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> C03()
    {
        foreach (string alg in new[] { "ES256", "RS256", "HS256", "EdDSA" })
        {
            JwsKey key = Key(alg);
            string jti = Q("id-fixed-" + alg);
            string t = Tok(key, ("jti", jti));
            yield return Refuse(alg + " sub changed", V(key), WithSegment(t, 1, Tokens.B64(Claims(("jti", jti), ("sub", Q("admin"))))), InvalidSignature);
            yield return Refuse(alg + " scope added", V(key), WithSegment(t, 1, Tokens.B64(Claims(("jti", jti), ("scope", Q("admin"))))), InvalidSignature);
            yield return Refuse(alg + " exp extended", V(key), WithSegment(t, 1, Tokens.B64(Claims(("jti", jti), ("exp", (Now + 600).ToString())))), InvalidSignature);
            yield return Refuse(alg + " payload of another valid token", V(key), WithSegment(t, 1, P(Tokens.Valid(key))), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> C04()
    {
        JwsKey a = Key("ES256");
        JwsKey b = JwsKey.Generate(JwsAlgorithm.ES256);
        var v = V(new KeySet([a, b]));
        string claims = Claims();
        string t = Sign(a, Header(a), claims);
        yield return Accept("control: the original", v, t);
        yield return Refuse("kid changed to the other key in the set", v, WithSegment(t, 0, Tokens.B64(Header(b))), InvalidSignature);
        yield return Refuse("kid changed to an unknown kid", v, WithSegment(t, 0, Tokens.B64(Header("ES256", "other"))), UnknownKey);
        yield return Refuse("member added", v, WithSegment(t, 0, Tokens.B64(Header(a, extra: "\"x\":1"))), InvalidSignature);
        yield return Refuse("same JSON, different whitespace", v, WithSegment(t, 0, Tokens.B64(Header(a).Replace(",", ", ", StringComparison.Ordinal))), InvalidSignature);
        yield return Refuse("same members, reordered", v, WithSegment(t, 0, Tokens.B64($"{{\"kid\":{Q(a.KeyId)},\"alg\":\"ES256\",\"typ\":\"at+jwt\"}}")), InvalidSignature);
        yield return Refuse("typ case changed", v, WithSegment(t, 0, Tokens.B64(Header(a, typ: "AT+JWT"))), InvalidSignature);
        string escapedKid = Header(a).Replace("\"kid\":\"" + a.KeyId[0], "\"kid\":\"\\u00" + ((int)a.KeyId[0]).ToString("x2"), StringComparison.Ordinal);
        yield return Refuse("kid with its first character \\u-escaped (same value)", v, WithSegment(t, 0, Tokens.B64(escapedKid)), InvalidSignature);
    }

    private static IEnumerable<AttackCase> C05()
    {
        foreach (string alg in new[] { "ES256", "RS256", "PS256", "EdDSA", "HS256", "HS512" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            byte[] s = SigBytes(t);
            yield return Refuse(alg + " S minus its last byte", V(key), WithSig(t, s.AsSpan(..^1)), InvalidSignature);
            yield return Refuse(alg + " S + 00", V(key), WithSig(t, [.. s, 0]), InvalidSignature);
            yield return Refuse(alg + " 00 + S", V(key), WithSig(t, [0, .. s]), InvalidSignature);
            yield return Refuse(alg + " S twice", V(key), WithSig(t, [.. s, .. s]), InvalidSignature);
            yield return Refuse(alg + " first half of S", V(key), WithSig(t, s.AsSpan(..(s.Length / 2))), InvalidSignature);
        }

        JwsKey hs = Key("HS256");
        string th = Tokens.Valid(hs);
        yield return Refuse("HS256 MAC truncated to 16 bytes", V(hs), WithSig(th, SigBytes(th).AsSpan(..16)), InvalidSignature);
        yield return Refuse("HS256 MAC truncated to 1 byte", V(hs), WithSig(th, SigBytes(th).AsSpan(..1)), InvalidSignature);
    }

    private static IEnumerable<AttackCase> C06()
    {
        foreach (string alg in new[] { "ES256", "ES384", "ES512" })
        {
            JwsKey key = Key(alg);
            int size = key.Algorithm.Name switch { "ES256" => 64, "ES384" => 96, _ => 132 };
            yield return Refuse($"{alg} r = s = 0 ({size} zero bytes)", V(key), WithSig(Tokens.Valid(key), new byte[size]), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> C07()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        BigInteger n = P256Order;
        var values = new (string Name, BigInteger Value)[]
        {
            ("0", 0), ("1", 1), ("n−1", n - 1), ("n", n), ("n+1", n + 1), ("2^256−1", BigInteger.Pow(2, 256) - 1),
        };
        string t = Tokens.Valid(es);
        foreach ((string rn, BigInteger r) in values)
        {
            foreach ((string sn, BigInteger s) in values)
            {
                yield return Refuse($"r={rn} s={sn}", v, WithSig(t, [.. I2osp(r, 32), .. I2osp(s, 32)]), InvalidSignature);
            }
        }
    }

    private static IEnumerable<AttackCase> C08()
    {
        foreach (string alg in new[] { "ES256", "ES384", "ES512" })
        {
            JwsKey key = Key(alg);
            using ECDsa ecdsa = EcdsaOf(key);
            string input = Tokens.B64(Header(key)) + "." + Tokens.B64(Claims());
            byte[] der = ecdsa.SignData(Encoding.ASCII.GetBytes(input), key.Algorithm.Name switch
            {
                "ES256" => HashAlgorithmName.SHA256,
                "ES384" => HashAlgorithmName.SHA384,
                _ => HashAlgorithmName.SHA512,
            }, DSASignatureFormat.Rfc3279DerSequence);
            yield return Refuse($"{alg} DER signature ({der.Length} bytes) by the right key", V(key), input + "." + Tokens.B64(der), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> C09()
    {
        JwsKey es = Key("ES256");
        var v = V(es);
        string t = Tokens.Valid(es);
        byte[] s = SigBytes(t);
        yield return Refuse("63 bytes (first byte dropped)", v, WithSig(t, s.AsSpan(1..)), InvalidSignature);
        yield return Refuse("65 bytes (leading zero)", v, WithSig(t, [0, .. s]), InvalidSignature);
        yield return Refuse("65 bytes (trailing zero)", v, WithSig(t, [.. s, 0]), InvalidSignature);
        yield return Refuse("66 bytes (each half padded to 33)", v, WithSig(t, [0, .. s[..32], 0, .. s[32..]]), InvalidSignature);
        yield return Refuse("128-byte buffer with R||S at the end", v, WithSig(t, [.. new byte[64], .. s]), InvalidSignature);
        yield return Refuse("128-byte buffer with R||S at the start", v, WithSig(t, [.. s, .. new byte[64]]), InvalidSignature);
        JwsKey es512 = Key("ES512");
        string t5 = Tokens.Valid(es512);
        byte[] s5 = SigBytes(t5);
        yield return Refuse("ES512 130 bytes (each half stripped of its leading byte)", V(es512), WithSig(t5, [.. s5[1..66], .. s5[67..]]), InvalidSignature);
        yield return Refuse("ES512 131 bytes", V(es512), WithSig(t5, s5.AsSpan(1..)), InvalidSignature);
    }

    private static IEnumerable<AttackCase> C10()
    {
        foreach (string alg in new[] { "ES256", "ES384", "ES512" })
        {
            JwsKey key = Key(alg);
            string t = Tokens.Valid(key);
            byte[] high = HighS(key.Algorithm, SigBytes(t));
            string malleated = WithSig(t, high);
            yield return Property(alg + " the variant is a different string", () => Assert.NotEqual(t, malleated));
            yield return Accept(alg + " n − s accepted (policy)", V(key, cacheSize: 0), malleated);
            yield return Accept(alg + " original still accepted", V(key, cacheSize: 0), t);
        }
    }

    private static IEnumerable<AttackCase> C11()
    {
        JwsKey rs = Key("RS256");
        var v = V(rs, cacheSize: 0);
        RSAParameters p = RsaPrivate.Value;
        int k = p.Modulus!.Length;
        string input = Tokens.B64(Header(rs)) + "." + Tokens.B64(Claims());
        byte[] hash = SHA256.HashData(Encoding.ASCII.GetBytes(input));
        byte[] digestInfo = [.. Sha256DigestInfoPrefix, .. hash];
        string Forge(byte[] em) => input + "." + Tokens.B64(RsaRaw(p, Os2ip(em)));

        yield return Accept("control: correct EMSA-PKCS1-v1_5 built by hand", v, Forge(Pkcs1Block(k, digestInfo)));
        byte[] noNull = [.. Convert.FromHexString("302f300b0609608648016503040201" + "0420"), .. hash];
        yield return Refuse("DigestInfo without the NULL parameters", v, Forge(Pkcs1Block(k, noNull)), InvalidSignature);
        byte[] longLength = [.. Convert.FromHexString("308131300d060960864801650304020105000420"), .. hash];
        yield return Refuse("BER long-form outer length", v, Forge(Pkcs1Block(k, longLength)), InvalidSignature);
        yield return Refuse("trailing garbage after the digest", v, Forge(Pkcs1Block(k, [.. digestInfo, .. "garbage!"u8])), InvalidSignature);
        byte[] sha1Oid = [.. Convert.FromHexString("3021300906052b0e03021a05000414"), .. hash[..20]];
        yield return Refuse("SHA-1 DigestInfo (wrong hash OID)", v, Forge(Pkcs1Block(k, sha1Oid)), InvalidSignature);
        byte[] sha384OidWith256 = [.. Convert.FromHexString("3031300d060960864801650304020205000420"), .. hash];
        yield return Refuse("SHA-384 OID around the SHA-256 digest", v, Forge(Pkcs1Block(k, sha384OidWith256)), InvalidSignature);
        byte[] fe = Pkcs1Block(k, digestInfo);
        fe[10] = 0xFE;
        yield return Refuse("one padding byte 0xFE", v, Forge(fe), InvalidSignature);
        yield return Refuse("block type 02", v, Forge(Pkcs1Block(k, digestInfo, blockType: 0x02)), InvalidSignature);
        yield return Refuse("padding of zero bytes", v, Forge(Pkcs1Block(k, digestInfo, fill: 0x00)), InvalidSignature);
        byte[] hidden = new byte[k];
        hidden[1] = 0x01;
        hidden.AsSpan(2, 8).Fill(0xFF);
        digestInfo.CopyTo(hidden, 11);
        RandomNumberGenerator.Fill(hidden.AsSpan(11 + digestInfo.Length));
        yield return Refuse("Bleichenbacher'06 layout: short padding, digest, garbage to the end", v, Forge(hidden), InvalidSignature);
        byte[] bare = [.. hash];
        yield return Refuse("bare digest without DigestInfo", v, Forge(Pkcs1Block(k, bare)), InvalidSignature);

        // An e = 3 key, which the forgeries above would need, never loads.
        JsonObject e3 = JwkOf(rs);
        e3["e"] = "Aw";
        yield return KeyError("RSA key with e = 3", () => KeySet.FromJwks(JwkSet(e3)));
    }

    private static IEnumerable<AttackCase> C12()
    {
        foreach (string alg in new[] { "RS256", "PS256" })
        {
            JwsKey key = Key(alg);
            using RSA rsa = RsaOf(key);
            BigInteger n = Os2ip(rsa.ExportParameters(false).Modulus);
            int k = rsa.KeySize / 8;
            string t = Tokens.Valid(key);
            var v = V(key);
            foreach ((string name, BigInteger value) in new[] { ("0", BigInteger.Zero), ("1", BigInteger.One), ("n−1", n - 1), ("n", n), ("n+1 (unreduced)", n + 1), ("2^(8k)−1", BigInteger.Pow(2, 8 * k) - 1) })
            {
                yield return Refuse($"{alg} signature = {name}", v, WithSig(t, I2osp(value, k)), InvalidSignature);
            }

            byte[] s = SigBytes(t);
            yield return Refuse(alg + " signature + n (unreduced, k+1 bytes)", v, WithSig(t, I2osp(Os2ip(s) + n, k + 1)), InvalidSignature);
            yield return Refuse(alg + " k−1 bytes", v, WithSig(t, s.AsSpan(1..)), InvalidSignature);
            yield return Refuse(alg + " k+1 bytes (leading zero)", v, WithSig(t, [0, .. s]), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> C13()
    {
        JwsKey ps = Rebind(Key("RS256"), JwsAlgorithm.PS256);
        var v = V(PublicOnly(ps), cacheSize: 0);
        RSAParameters p = RsaPrivate.Value;
        int bits = p.Modulus!.Length * 8;
        string input = Tokens.B64(Header(ps)) + "." + Tokens.B64(Claims());
        byte[] message = Encoding.ASCII.GetBytes(input);
        string Forge(byte[] em) => input + "." + Tokens.B64(RsaRaw(p, Os2ip(em)));
        HashAlgorithmName sha256 = HashAlgorithmName.SHA256;

        yield return Accept("control: correct PSS (salt 32, MGF1-SHA256, 0xBC) built by hand", v, Forge(PssEncode(message, bits, sha256, 32, sha256)));
        foreach (int salt in new[] { 0, 20, 31, 33, 48, 64 })
        {
            yield return Refuse($"salt length {salt}", v, Forge(PssEncode(message, bits, sha256, salt, sha256)), InvalidSignature);
        }

        yield return Refuse("MGF1 with SHA-1", v, Forge(PssEncode(message, bits, sha256, 32, HashAlgorithmName.SHA1)), InvalidSignature);
        yield return Refuse("MGF1 with SHA-512", v, Forge(PssEncode(message, bits, sha256, 32, HashAlgorithmName.SHA512)), InvalidSignature);
        yield return Refuse("trailer 0xBB", v, Forge(PssEncode(message, bits, sha256, 32, sha256, trailer: 0xBB)), InvalidSignature);
        yield return Refuse("trailer 0x00", v, Forge(PssEncode(message, bits, sha256, 32, sha256, trailer: 0x00)), InvalidSignature);
        yield return Refuse("message hashed with SHA-384 (PS384 encoding under PS256)", v, Forge(PssEncode(message, bits, HashAlgorithmName.SHA384, 48, HashAlgorithmName.SHA384)), InvalidSignature);
    }

    private static IEnumerable<AttackCase> C14()
    {
        JwsKey ed = Key("EdDSA");
        var v = V(ed, cacheSize: 0);
        string t = Tokens.Valid(ed);
        byte[] sig = SigBytes(t);
        BigInteger s = LittleEndian(sig.AsSpan(32));
        yield return Accept("control: the original", v, t);
        foreach ((string name, BigInteger value) in new[] { ("S+L", s + Ed25519L), ("S+2L", s + 2 * Ed25519L), ("S+8L", s + 8 * Ed25519L), ("S+2^253", s + BigInteger.Pow(2, 253)), ("S+15L", s + 15 * Ed25519L) })
        {
            yield return Refuse(name, v, WithSig(t, [.. sig[..32], .. ToLittleEndian(value, 32)]), InvalidSignature);
        }

        yield return Refuse("S = L", v, WithSig(t, [.. sig[..32], .. ToLittleEndian(Ed25519L, 32)]), InvalidSignature);
        yield return Refuse("S = 2^256 − 1", v, WithSig(t, [.. sig[..32], .. Enumerable.Repeat((byte)0xFF, 32)]), InvalidSignature);
    }

    private static IEnumerable<AttackCase> C15()
    {
        foreach (string hex in Ed25519SmallOrder)
        {
            var jwk = new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["kid"] = "small", ["x"] = Tokens.B64(Convert.FromHexString(hex)) };
            yield return KeyError("public key " + hex[..8] + "…" + hex[^2..] + " in a JWKS", () => KeySet.FromJwks(JwkSet(jwk)));
            yield return KeyError("public key " + hex[..8] + "…" + hex[^2..] + " as one JWK", () => JwsKey.ImportJwk(jwk.ToJsonString()));
        }

        JwsKey ed = Key("EdDSA");
        var v = V(ed);
        string t = Tokens.Valid(ed);
        foreach (string hex in Ed25519SmallOrder)
        {
            byte[] r = Convert.FromHexString(hex);
            yield return Refuse("R = small-order " + hex[..8] + "…, S = 0", v, WithSig(t, [.. r, .. new byte[32]]), InvalidSignature);
            yield return Refuse("R = small-order " + hex[..8] + "…, real S", v, WithSig(t, [.. r, .. SigBytes(t)[32..]]), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> C16()
    {
        for (int i = 0; i < 19; i++)
        {
            foreach (bool sign in new[] { false, true })
            {
                byte[] y = ToLittleEndian(Ed25519P + i, 32);
                if (sign)
                {
                    y[31] |= 0x80;
                }

                var jwk = new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["kid"] = "noncanonical", ["x"] = Tokens.B64(y) };
                yield return KeyError($"public key y = p+{i}{(sign ? " with sign bit" : "")}", () => KeySet.FromJwks(JwkSet(jwk)));
            }
        }

        JwsKey ed = Key("EdDSA");
        var v = V(ed);
        string t = Tokens.Valid(ed);
        for (int i = 0; i < 19; i += 3)
        {
            yield return Refuse($"R with y = p+{i}", v, WithSig(t, [.. ToLittleEndian(Ed25519P + i, 32), .. SigBytes(t)[32..]]), InvalidSignature);
        }
    }

    private static IEnumerable<AttackCase> C17()
    {
        JwsKey ed = Key("EdDSA");
        var v = V(ed);
        string t = Tokens.Valid(ed);
        byte[] s = SigBytes(t);
        yield return Refuse("0 bytes", v, H(t) + "." + P(t) + ".", InvalidSignature);
        yield return Refuse("32 bytes (R only)", v, WithSig(t, s.AsSpan(..32)), InvalidSignature);
        yield return Refuse("63 bytes", v, WithSig(t, s.AsSpan(..63)), InvalidSignature);
        yield return Refuse("65 bytes", v, WithSig(t, [.. s, 0]), InvalidSignature);
        yield return Refuse("96 bytes (public key appended)", v, WithSig(t, [.. s, .. Ed25519Public(ed)]), InvalidSignature);
        yield return Refuse("128 bytes", v, WithSig(t, [.. s, .. s]), InvalidSignature);
        yield return Refuse("1 byte", v, WithSig(t, s.AsSpan(..1)), InvalidSignature);
    }

    private static IEnumerable<AttackCase> C18()
    {
        yield return Property("HmacKey.Verify calls CryptographicOperations.FixedTimeEquals and nothing that compares early-out", () =>
        {
            MethodInfo verify = typeof(HmacKey).GetMethod("Verify", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(ReadOnlySpan<byte>), typeof(ReadOnlySpan<byte>)])!;
            List<MethodBase> calls = CalledMethods(verify);
            Assert.Contains(calls, m => m.Name == "FixedTimeEquals" && m.DeclaringType == typeof(CryptographicOperations));
            Assert.DoesNotContain(calls, m => m.Name is "SequenceEqual" or "SequenceCompareTo" or "Equals" or "StartsWith");
        });
        foreach (JwsAlgorithm alg in Hmacs)
        {
            JwsKey key = Key(alg.Name);
            string t = Tokens.Valid(key);
            byte[] first = SigBytes(t);
            first[0] ^= 0xFF;
            byte[] last = SigBytes(t);
            last[^1] ^= 0xFF;
            byte[] zeros = new byte[first.Length];
            yield return Refuse(alg.Name + " equal length, first byte wrong", V(key, cacheSize: 0), WithSig(t, first), InvalidSignature);
            yield return Refuse(alg.Name + " equal length, last byte wrong", V(key, cacheSize: 0), WithSig(t, last), InvalidSignature);
            yield return Refuse(alg.Name + " equal length, all zero", V(key, cacheSize: 0), WithSig(t, zeros), InvalidSignature);
        }
    }

    /// <summary>The methods a method body calls (call/callvirt operands), read from its IL.</summary>
    private static List<MethodBase> CalledMethods(MethodInfo method)
    {
        byte[] il = method.GetMethodBody()!.GetILAsByteArray()!;
        var calls = new List<MethodBase>();
        for (int i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] == (byte)OpCodes.Call.Value || il[i] == (byte)OpCodes.Callvirt.Value)
            {
                int token = BitConverter.ToInt32(il, i + 1);
                try
                {
                    if (method.Module.ResolveMethod(token, method.DeclaringType!.GetGenericArguments(), null) is { } m)
                    {
                        calls.Add(m);
                    }
                }
                catch (ArgumentException)
                {
                }
                catch (BadImageFormatException)
                {
                }
            }
        }

        Assert.NotEmpty(calls);
        return calls;
    }

    private static readonly Lazy<RSAParameters> RsaPrivate = new(() =>
    {
        using RSA rsa = RsaOf(Key("RS256"));
        return rsa.ExportParameters(true);
    });
}
