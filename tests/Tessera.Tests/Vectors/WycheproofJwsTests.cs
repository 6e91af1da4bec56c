using System.Text.Json;
using Tessera.Validation;

namespace Tessera.Tests.Vectors;

/// <summary>
/// Wycheproof <c>json_web_signature_test.json</c> (401 vectors), one row per tcId.
///
/// Layer: every vector goes through the JWS layer (<see cref="TokenValidator.VerifyJwsOnly"/>,
/// steps 1–4 with an opaque payload), because no payload in this file is a JWT claims set
/// (they are "foo", "123400", "", zero bytes, short texts). The same token through the full
/// pipeline must therefore be <c>malformed</c> every time: the payload is checked at step 1,
/// before any key or signature work. Each row asserts both.
///
/// Keys: the group's <c>public</c> JWK (else <c>private</c>, for HMAC) read as a one-key JWK
/// Set, bound to its JWK <c>alg</c>. Every key in this file passes the key policy (RSA 2048,
/// e = 65537, HMAC 32 bytes), so no row expects a KeyException; the harness would report one.
///
/// Label overrides (docs/ATTACKS.md (b) caveats, plus one docs/SPEC.md §2 rule). Everything else follows
/// the label: "valid" → None, "invalid" → the exact code of <see cref="Expected"/>.
/// | tcId                         | label   | Tessera          | why |
/// |------------------------------|---------|------------------|-----|
/// | 367, 370                     | invalid | None             | byte-identical to 357 (ValidMac): a generator bug stripped the padding it meant to add (C2SP/wycheproof#236) |
/// | 372, 373                     | valid   | Malformed        | a '?' inside the header/payload segment; strict base64url (docs/SPEC.md §2 step 1) |
/// | 346, 350                     | valid   | InvalidAlgorithm | JWK alg PS256, header PS384: the key is bound to PS256, PS384 is not on the allow-list (step 2; RFC 8725 §3.1, docs/ATTACKS.md B12) |
/// | 347, 351                     | valid   | UnknownKey       | JWK alg "ES521" is not a registered alg, so KeySet.FromJwks skips the key (docs/SPEC.md §1); the set is empty and kid lookup fails (step 3) |
/// | 259, 264, 268, 272, 320, 325 | valid   | Malformed        | "emptyPayload": docs/SPEC.md §2 step 1 wants three non-empty segments; a JWT has no empty/detached payload (docs/ATTACKS.md A05) |
/// </summary>
public sealed class WycheproofJwsTests(ITestOutputHelper output)
{
    private const string File = "wycheproof/json_web_signature_test.json";

    private static readonly Dictionary<int, (ValidationError Code, string Why)> Overrides = new()
    {
        [367] = (ValidationError.None, "override: identical to tcId 357 (wycheproof#236)"),
        [370] = (ValidationError.None, "override: identical to tcId 357 (wycheproof#236)"),
        [372] = (ValidationError.Malformed, "override: '?' in the header segment"),
        [373] = (ValidationError.Malformed, "override: '?' in the payload segment"),
        [346] = (ValidationError.InvalidAlgorithm, "override: key bound to PS256, header PS384"),
        [350] = (ValidationError.InvalidAlgorithm, "override: key bound to PS256, header PS384"),
        [347] = (ValidationError.UnknownKey, "override: JWK alg ES521 is unregistered, key skipped"),
        [351] = (ValidationError.UnknownKey, "override: JWK alg ES521 is unregistered, key skipped"),
    };

    // PS512 key, "WrongPrimitive": the header says PS512 (the key's own alg) but the signature
    // was made with another primitive → step 4. The twins name the other alg in the header,
    // which is not on the allow-list → step 2 (these verify cryptographically under their
    // header alg, docs/ATTACKS.md B11).
    private static readonly HashSet<int> WrongPrimitiveSameHeader = [331, 333, 335, 337, 339];
    private static readonly HashSet<int> WrongPrimitiveOtherHeader = [332, 334, 336, 338, 340];

    public static TheoryData<int> Vectors => VectorFile.TcIds(File);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void JwsVector_GetsItsExactCode_AtTheJwsLayer_AndIsMalformedAsAJwt(int tcId)
    {
        JsonDocument doc = VectorFile.Open(File);
        (JsonElement group, JsonElement test) = VectorFile.Find(doc, tcId);
        (ValidationError expected, string why) = Expected(group, test);
        JoseRun run = JoseHarness.Run(JoseHarness.KeySetJson(group), JoseHarness.Token(test.GetProperty("jws")));
        output.WriteLine($"tcId {tcId} [{VectorFile.Str(group, "comment")}] {VectorFile.Str(test, "comment")} label={VectorFile.Str(test, "result")} expected={expected} ({why}) got={run.JwsLayer} full={run.Full} {run.KeyError}");

        Assert.Equal(expected.ToString(), run.JwsLayer);
        Assert.Equal(ValidationError.Malformed, run.Full);
    }

    [Fact]
    public void JwsFile_AcceptsExactlyTheValidVectorsLessOverrides_AndGivesEachCodeAsOftenAsTheTableSays()
    {
        JsonDocument doc = VectorFile.Open(File);
        var rows = VectorFile.Tests(doc).ToList();
        var expected = rows.Select(r => Expected(r.Group, r.Test)).ToList();
        var runs = rows.Select(r => JoseHarness.Run(JoseHarness.KeySetJson(r.Group), JoseHarness.Token(r.Test.GetProperty("jws")))).ToList();
        int overridden = expected.Count(e => e.Why.StartsWith("override", StringComparison.Ordinal));
        int valid = rows.Count(r => VectorFile.Str(r.Test, "result") == "valid");
        var accepted = rows.Where((_, i) => runs[i].JwsLayer == nameof(ValidationError.None)).Select(VectorFile.TcId).ToList();
        VectorFile.Summary(output, File, $"{rows.Count} vectors ({valid} valid, {rows.Count - valid} invalid), {overridden} label overrides; accepted {accepted.Count}; JWS layer: {Tally(runs.Select(r => r.JwsLayer))}");

        Assert.Equal(VectorFile.DeclaredCount(doc), rows.Count);
        Assert.Equal(14, overridden);

        // Accepted: the "valid" vectors, less the 12 the table overrides to a refusal, plus the
        // 2 "invalid" ones that are byte-identical to a valid vector; everything else refused.
        var validIds = rows.Where(r => VectorFile.Str(r.Test, "result") == "valid").Select(VectorFile.TcId).ToHashSet();
        var acceptable = rows.Where((r, i) => expected[i].Code == ValidationError.None).Select(VectorFile.TcId).ToList();
        Assert.Equal(valid - 12 + 2, acceptable.Count);
        Assert.Equal(12, validIds.Except(acceptable).Count());
        Assert.Equal(acceptable, accepted);
        Assert.Equal(rows.Count - acceptable.Count, rows.Count - accepted.Count);

        // Each code as often as the table gives it, and no payload here is a claims set.
        Assert.Equal(Tally(expected.Select(e => e.Code.ToString())), Tally(runs.Select(r => r.JwsLayer)));
        Assert.All(runs, r => Assert.Equal(ValidationError.Malformed, r.Full));
    }

    private static string Tally(IEnumerable<string> codes) =>
        string.Join(", ", codes.GroupBy(c => c).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

    private static (ValidationError Code, string Why) Expected(JsonElement group, JsonElement test)
    {
        int id = test.GetProperty("tcId").GetInt32();
        string comment = VectorFile.Str(test, "comment");
        string result = VectorFile.Str(test, "result");
        string[] flags = VectorFile.Flags(test);
        string groupName = VectorFile.Str(group, "comment");

        (ValidationError Code, string Why) e = Decide();
        if (result == "invalid" && e.Code == ValidationError.None && !e.Why.StartsWith("override", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"tcId {id} is labelled invalid but the table expects None without an override");
        }

        return e;

        (ValidationError, string) Decide()
        {
            if (Overrides.TryGetValue(id, out (ValidationError, string) o))
            {
                return o;
            }

            if (comment == "emptyPayload")
            {
                return (ValidationError.Malformed, "override: empty payload segment (docs/SPEC.md §2 step 1)");
            }

            if (groupName == "base64")
            {
                // Everything invalid here is an encoding defect: whitespace, '?', '#', padding,
                // non-zero unused bits (374/375 verify with a lenient decoder).
                return result == "valid" ? (ValidationError.None, "label") : (ValidationError.Malformed, "label: non-canonical base64url");
            }

            if (groupName == "SpecialCaseEs256")
            {
                // Wrong length (379, 380, 385: not exactly 64 bytes R‖S) or r/s out of range.
                return result == "valid" ? (ValidationError.None, "label") : (ValidationError.InvalidSignature, "label: bad ECDSA signature");
            }

            if (WrongPrimitiveSameHeader.Contains(id))
            {
                return (ValidationError.InvalidSignature, "label: header PS512, other primitive's signature");
            }

            if (WrongPrimitiveOtherHeader.Contains(id))
            {
                return (ValidationError.InvalidAlgorithm, "label: header alg differs from the key's PS512");
            }

            if (flags.Contains("AlgIsNone"))
            {
                return (ValidationError.InvalidAlgorithm, "label: alg none with an empty signature is refused at step 2");
            }

            if (comment is "rejectWrongUse" or "rejectWrongKeyOps")
            {
                return (ValidationError.UnknownKey, "label: the only key is for encryption and is skipped");
            }

            if (result == "valid")
            {
                return (ValidationError.None, "label");
            }

            return JoseHarness.ByComment(comment, flags) is ValidationError code
                ? (code, "label")
                : throw new InvalidOperationException($"tcId {id} ({comment}) has no expected code in the table");
        }
    }
}
