using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Tests.Vectors;

/// <summary>
/// Ed25519 (EdDSA, RFC 8032 §5.1 / RFC 8037) against the raw primitive under the JWS layer.
///
/// Wycheproof ed25519_test.json: each group's key from its JWK (the PEM form must give the same
/// key); "valid" verifies, "invalid" does not (no "acceptable" results in this file). It covers
/// S ≥ L, truncated/extended signatures and malleability, but no small-order or non-canonical
/// public keys — ed25519-speccheck fills that gap.
///
/// ed25519-speccheck cases.json (no labels; verdicts read from README_excerpt.md's condition
/// table). Tessera's choice is the strict one (libsodium via NSec, cofactorless equation,
/// canonical S, small-order R refused; small-order and non-canonical A refused at key import):
/// | case | README condition                              | Tessera verdict             |
/// |------|-----------------------------------------------|-----------------------------|
/// | 0    | S = 0, small A and small R                    | KeyException (A small order) |
/// | 1    | small A only                                  | KeyException (A small order) |
/// | 2    | small R only                                  | Verify false (R small order) |
/// | 3    | mixed A and R, passes both equations          | Verify TRUE (the one accept) |
/// | 4    | mixed A/R, passes cofactored only             | Verify false (cofactorless)  |
/// | 5    | mixed A, order-L R, cofactored only if 8h prereduced | Verify false          |
/// | 6    | S > L                                         | Verify false (S not canonical) |
/// | 7    | S ≫ L (top bit set)                           | Verify false (S not canonical) |
/// | 8    | non-canonical R (small*), reduced for hash    | Verify false                 |
/// | 9    | non-canonical R (small*), not reduced         | Verify false                 |
/// | 10   | non-canonical A (small*), reduced for hash    | KeyException (A small order / non-canonical) |
/// | 11   | non-canonical A (small*), not reduced         | KeyException (A small order / non-canonical) |
/// So cases 0–2 and 4–11 are refused, case 3 accepted, as docs/ATTACKS.md (b) recommends.
/// </summary>
public sealed class Ed25519VectorTests(ITestOutputHelper output)
{
    private const string Wycheproof = "wycheproof/ed25519_test.json";
    private const string Speccheck = "ed25519-speccheck/cases.json";

    private static readonly string[] SpeccheckVerdicts =
    [
        "KeyException", "KeyException", "false", "true", "false", "false",
        "false", "false", "false", "false", "KeyException", "KeyException",
    ];

    public static TheoryData<int> WycheproofVectors => VectorFile.TcIds(Wycheproof);

    public static TheoryData<int> SpeccheckCases => VectorFile.Indexes(Speccheck, root => root);

    [Theory]
    [MemberData(nameof(WycheproofVectors))]
    public void EdDSA_WycheproofVector_VerifiesExactlyWhenValid(int tcId)
    {
        JsonDocument doc = VectorFile.Open(Wycheproof);
        (JsonElement group, JsonElement test) = VectorFile.Find(doc, tcId);
        PrimitiveKeys.Imported imported = PrimitiveKeys.For(group, JwsAlgorithm.EdDSA);
        Assert.Null(imported.Error);
        Assert.Null(imported.Disagreement);
        string result = VectorFile.Str(test, "result");
        byte[] sig = VectorFile.Hex(test, "sig");
        bool verified = imported.Key!.Verify(VectorFile.Hex(test, "msg"), sig);
        output.WriteLine($"tcId {tcId} {VectorFile.Str(test, "comment")} [{string.Join(",", VectorFile.Flags(test))}] label={result} sig-bytes={sig.Length} verified={verified}");

        Assert.Contains(result, new[] { "valid", "invalid" });
        Assert.Equal(result == "valid", verified);
    }

    [Theory]
    [MemberData(nameof(SpeccheckCases))]
    public void EdDSA_SpeccheckCase_IsRefusedUnlessItIsTheCanonicalCase3(int row)
    {
        JsonDocument doc = VectorFile.Open(Speccheck);
        int index = row - 1;
        JsonElement c = doc.RootElement[index];
        string actual = Speck(c, out string? error);
        output.WriteLine($"speccheck case {index}: expected={SpeccheckVerdicts[index]} got={actual} {error}");

        Assert.Equal(SpeccheckVerdicts[index], actual);
    }

    [Fact]
    public void Ed25519Files_VerifyExactlyTheValidVectors_AndSpeccheckGivesItsVerdictCounts()
    {
        JsonDocument wp = VectorFile.Open(Wycheproof);
        var rows = VectorFile.Tests(wp).ToList();
        var valid = rows.Where(r => VectorFile.Str(r.Test, "result") == "valid").Select(VectorFile.TcId).ToList();
        var invalid = rows.Where(r => VectorFile.Str(r.Test, "result") == "invalid").Select(VectorFile.TcId).ToList();
        var verified = rows.Where(r => PrimitiveKeys.For(r.Group, JwsAlgorithm.EdDSA).Key!.Verify(VectorFile.Hex(r.Test, "msg"), VectorFile.Hex(r.Test, "sig"))).Select(VectorFile.TcId).ToList();
        VectorFile.Summary(output, Wycheproof, $"EdDSA: {rows.Count} vectors ({valid.Count} valid, {invalid.Count} invalid); verified {verified.Count}, rejected {rows.Count - verified.Count}");
        Assert.Equal(VectorFile.DeclaredCount(wp), rows.Count);
        Assert.Equal(rows.Count, valid.Count + invalid.Count);
        Assert.Equal(valid.Count, verified.Count);
        Assert.Equal(invalid.Count, rows.Count - verified.Count);
        Assert.Equal(valid, verified);

        JsonDocument sc = VectorFile.Open(Speccheck);
        var verdicts = sc.RootElement.EnumerateArray().Select(c => Speck(c, out _)).ToList();
        VectorFile.Summary(output, Speccheck, $"{verdicts.Count} cases: key refused {verdicts.Count(v => v == "KeyException")}, signature refused {verdicts.Count(v => v == "false")}, accepted {verdicts.Count(v => v == "true")}");
        Assert.Equal(SpeccheckVerdicts.Count(v => v == "KeyException"), verdicts.Count(v => v == "KeyException"));
        Assert.Equal(SpeccheckVerdicts.Count(v => v == "false"), verdicts.Count(v => v == "false"));
        Assert.Equal(1, verdicts.Count(v => v == "true"));
        Assert.Equal(SpeccheckVerdicts, verdicts);
    }

    /// <summary>
    /// "KeyException" when the public key is refused at import, else the Verify result. The key
    /// goes in both as a JWK and as SPKI PEM; the two import paths must agree.
    /// </summary>
    private static string Speck(JsonElement c, out string? error)
    {
        byte[] pk = VectorFile.Hex(c, "pub_key");
        string jwk = $"{{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"{Support.Tokens.B64(pk)}\"}}";
        byte[] spki = [.. Convert.FromHexString("302a300506032b6570032100"), .. pk];
        string pem = new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", spki));
        string fromJwk = Verdict(() => JwsKey.ImportJwk(jwk), c, out error);
        string fromPem = Verdict(() => JwsKey.ImportPem(pem), c, out string? pemError);
        error ??= pemError;
        return fromJwk == fromPem ? fromJwk : $"JWK {fromJwk} but PEM {fromPem}";

        static string Verdict(Func<JwsKey> import, JsonElement c, out string? error)
        {
            error = null;
            JwsKey key;
            try
            {
                key = import();
            }
            catch (KeyException ex)
            {
                error = ex.Message;
                return "KeyException";
            }

            using (key)
            {
                return key.Verify(VectorFile.Hex(c, "message"), VectorFile.Hex(c, "signature")) ? "true" : "false";
            }
        }
    }
}
