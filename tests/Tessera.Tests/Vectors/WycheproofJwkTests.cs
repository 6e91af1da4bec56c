using System.Text.Json;
using Tessera.Validation;

namespace Tessera.Tests.Vectors;

/// <summary>
/// Wycheproof <c>json_web_key_test.json</c> (26) and <c>json_web_crypto_test.json</c> (83):
/// key-set loading per docs/SPEC.md §1 and the tokens' verdicts, one row per tcId.
///
/// Each row loads the group's JWK Set with <see cref="Tessera.Keys.KeySet.FromJwks"/> and
/// asserts exactly one of: the load throws KeyException (duplicate kid, HMAC mixed with public
/// keys, RSA under 2048 bits, e = 1, HMAC secret shorter than the hash or empty, EC point off
/// the curve, crv/kty not matching alg); or it loads with a given number of keys and skipped
/// keys (other use, unregistered alg such as ES521/ES224/A256GCM/RSA1_5) and the token gets an
/// exact JWS-layer code. Payloads are "foo" or JWE parts, never a claims set, so the full
/// pipeline must say malformed for every token whose key set loads.
///
/// JWE entries of the JW-crypto file (tcId 50–83): 5-part (or 4-part) compact JWEs and one JSON
/// JWE; a JWS validator must call them malformed at step 1 (docs/ATTACKS.md A06). Their keys are
/// <c>use: enc</c>, so they are skipped, not refused — even the EC one that carries "d".
///
/// Refusals are asserted with the part of the KeyException message that names the reason, so a
/// set refused for another reason fails the row. JWK tcId 4 (duplicate kid) is refused because
/// its second secret is non-canonical base64url; a derived test repairs that secret and shows
/// the duplicate kid is refused on its own.
///
/// The ROCA key (JWK tcId 7, JW-crypto tcId 46, a 2049-bit modulus with e = 65537) is refused at
/// load by Tessera's ROCA fingerprint check (docs/ATTACKS.md D18), as Wycheproof's "invalid" label wants.
/// </summary>
public sealed class WycheproofJwkTests(ITestOutputHelper output)
{
    private const string KeyFile = "wycheproof/json_web_key_test.json";
    private const string CryptoFile = "wycheproof/json_web_crypto_test.json";
    private const string Refused = JoseHarness.KeyRefused;
    private const string Roca = "ROCA-vulnerable modulus (CVE-2017-15361), refused at load (docs/ATTACKS.md D18)";

    // json_web_key_test.json, every tcId: expected outcome, keys loaded, keys skipped, why.
    private static readonly Dictionary<int, Expectation> KeyTable = new()
    {
        [1] = new(Refused, "mixes HMAC secrets with public keys", "mixed set: an HMAC secret beside an EC public key (docs/ATTACKS.md D15)"),
        [2] = new(nameof(ValidationError.None), 2, 0, "two HMAC keys, kid selects the right one"),
        [3] = new(nameof(ValidationError.InvalidSignature), 2, 0, "modified MAC"),
        [4] = new(Refused, "\"k\" is not canonical base64url", "duplicate kid, but the second key's k ends in non-zero unused bits and fails first; see the derived test below"),
        [5] = new(nameof(ValidationError.None), 1, 0, "valid RS256"),
        [6] = new(nameof(ValidationError.UnknownKey), 0, 1, "use enc / alg RSA1_5: skipped (docs/SPEC.md §1), kid finds nothing"),
        [7] = new(Refused, "ROCA fingerprint", Roca),
        [8] = new(Refused, "the minimum is 2048 bits", "RSA 1024 bits < 2048 (docs/ATTACKS.md D16)"),
        [9] = new(Refused, "is not a valid RSA key", "RSA e = 1 (docs/ATTACKS.md D17); the platform import refuses it before Tessera's own e ≥ 65537 rule (that rule is met in the RSA primitive file)"),
        [10] = new(Refused, "is 31 bytes; the minimum is 32 bytes", "HS256 secret of 31 bytes < 32 (docs/ATTACKS.md D21)"),
        [11] = new(Refused, "is 47 bytes; the minimum is 48 bytes", "HS384 secret of 47 bytes < 48"),
        [12] = new(Refused, "is 63 bytes; the minimum is 64 bytes", "HS512 secret of 63 bytes < 64"),
        [13] = new(nameof(ValidationError.None), 1, 0, "HS256 secret longer than the hash"),
        [14] = new(nameof(ValidationError.None), 1, 0, "HS384 secret longer than the hash"),
        [15] = new(nameof(ValidationError.None), 1, 0, "HS512 secret longer than the hash"),
        [16] = new(Refused, "is 0 bytes; the minimum is 32 bytes", "empty HS256 secret"),
        [17] = new(Refused, "is 0 bytes; the minimum is 48 bytes", "empty HS384 secret"),
        [18] = new(Refused, "is 0 bytes; the minimum is 64 bytes", "empty HS512 secret"),
        [19] = new(nameof(ValidationError.UnknownKey), 0, 1, "alg ES521 is not registered: key skipped (docs/SPEC.md §1)"),
        [20] = new(nameof(ValidationError.UnknownKey), 0, 1, "alg ES224 is not supported: key skipped (docs/SPEC.md §1, docs/ATTACKS.md B06)"),
        [21] = new(nameof(ValidationError.UnknownKey), 0, 1, "use enc: key skipped (docs/ATTACKS.md D14)"),
        [22] = new(Refused, "is not a valid point on P-256", "EC point not on P-256 (docs/ATTACKS.md D19)"),
        [23] = new(Refused, "is on P-384 but names alg ES256", "crv P-384 with alg ES256 and 32-byte coordinates (docs/ATTACKS.md B13)"),
        [24] = new(Refused, "has kty RSA but alg ES256", "kty RSA with alg ES256 (docs/ATTACKS.md D20)"),
        [25] = new(nameof(ValidationError.UnknownKey), 0, 1, "oct key with alg A256GCM: not a signing alg, skipped (docs/ATTACKS.md D23)"),
        [26] = new(nameof(ValidationError.UnknownKey), 0, 1, "oct key with alg A256KW: not a signing alg, skipped (docs/ATTACKS.md D23)"),
    };

    public static TheoryData<int> KeyVectors => VectorFile.TcIds(KeyFile);

    public static TheoryData<int> CryptoVectors => VectorFile.TcIds(CryptoFile);

    [Theory]
    [MemberData(nameof(KeyVectors))]
    public void JwkVector_KeySetLoadsOrIsRefused_AndTokenGetsItsExactCode(int tcId) => Check(KeyFile, tcId);

    [Theory]
    [MemberData(nameof(CryptoVectors))]
    public void JwCryptoVector_KeySetLoadsOrIsRefused_AndTokenGetsItsExactCode(int tcId) => Check(CryptoFile, tcId);

    [Fact]
    public void JwkFiles_AcceptExactlyTheValidVectors_AndGiveEachOutcomeAsOftenAsTheTablesSay()
    {
        foreach (string file in new[] { KeyFile, CryptoFile })
        {
            JsonDocument doc = VectorFile.Open(file);
            var rows = VectorFile.Tests(doc).ToList();
            var runs = rows.Select(r => Run(r.Group, r.Test)).ToList();
            var valid = rows.Where(r => VectorFile.Str(r.Test, "result") == "valid").Select(VectorFile.TcId).ToList();
            var accepted = rows.Where((_, i) => runs[i].JwsLayer == nameof(ValidationError.None)).Select(VectorFile.TcId).ToList();
            int refused = runs.Count(r => r.JwsLayer == Refused);
            int skippedSets = runs.Count(r => r.Keys is { Keys.Count: 0 });
            VectorFile.Summary(output, file, $"{rows.Count} vectors ({valid.Count} valid, {rows.Count - valid.Count} invalid); accepted {accepted.Count}, key set refused {refused}, loaded with every key skipped {skippedSets}; tokens: {Tally(runs.Where(r => r.JwsLayer != Refused).Select(r => r.JwsLayer))}");
            Assert.Equal(VectorFile.DeclaredCount(doc), rows.Count);

            // Exactly the "valid" JWS vectors are accepted and every other vector is refused; a
            // "valid" JWE is malformed to a JWS validator (docs/ATTACKS.md A06).
            var validJws = rows.Where(r => r.Test.TryGetProperty("jws", out _) && VectorFile.Str(r.Test, "result") == "valid").Select(VectorFile.TcId).ToList();
            var validJwe = rows.Where(r => !r.Test.TryGetProperty("jws", out _) && VectorFile.Str(r.Test, "result") == "valid").Select(VectorFile.TcId).ToList();
            Assert.Equal(validJws.Count, accepted.Count);
            Assert.Equal(rows.Count - validJws.Count, rows.Count - accepted.Count);
            Assert.Equal(validJws, accepted);
            Assert.Equal(valid.Count, validJws.Count + validJwe.Count);
            Assert.All(validJwe, id => Assert.Equal(nameof(ValidationError.Malformed), runs[rows.FindIndex(r => VectorFile.TcId(r) == id)].JwsLayer));

            // Each outcome (a code, or the key set refused) as often as the expectations say.
            Assert.Equal(Tally(rows.Select(r => Expected(file, r.Group, r.Test).Outcome)), Tally(runs.Select(r => r.JwsLayer)));

            // Payloads are never claims sets: the full pipeline accepts none of them.
            Assert.DoesNotContain(runs, r => r.Full == ValidationError.None);
        }
    }

    private static string Tally(IEnumerable<string> outcomes) =>
        string.Join(", ", outcomes.GroupBy(o => o).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

    // JWK tcId 4 means to test a duplicate kid, but its second secret is not canonical base64url
    // (last character 'e' carries non-zero unused bits), which Tessera refuses first. The same
    // set with that secret re-encoded canonically must then fail on the duplicate kid itself.
    [Fact]
    public void JwkVector4_WithCanonicalSecrets_IsRefusedForTheDuplicateKid()
    {
        JsonDocument doc = VectorFile.Open(KeyFile);
        (JsonElement group, _) = VectorFile.Find(doc, 4);
        var keys = group.GetProperty("private").GetProperty("keys").EnumerateArray().Select(k =>
        {
            var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(k.GetRawText())!;
            jwk["k"] = ClearUnusedBits(jwk["k"]);
            return jwk;
        }).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0]["kid"], keys[1]["kid"]);
        Assert.NotEqual(keys[0]["k"], keys[1]["k"]);

        var ex = Assert.Throws<Tessera.Keys.KeyException>(() => Tessera.Keys.KeySet.FromJwks(JsonSerializer.Serialize(new { keys })));
        Assert.Contains("two keys with kid kid-aes-sign", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The canonical base64url form of the same bytes: the last character's unused bits zeroed.</summary>
    private static string ClearUnusedBits(string encoded)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int unused = (encoded.Length % 4) switch { 2 => 0x0F, 3 => 0x03, _ => 0 };
        return encoded[..^1] + Alphabet[Alphabet.IndexOf(encoded[^1], StringComparison.Ordinal) & ~unused];
    }

    private static JoseRun Run(JsonElement group, JsonElement test) =>
        JoseHarness.Run(JoseHarness.KeySetJson(group), JoseHarness.Token(test.GetProperty(test.TryGetProperty("jws", out _) ? "jws" : "jwe")));

    private static Expectation Expected(string file, JsonElement group, JsonElement test)
    {
        int id = test.GetProperty("tcId").GetInt32();
        if (file == KeyFile)
        {
            return KeyTable[id];
        }

        string groupName = VectorFile.Str(group, "comment");
        string comment = VectorFile.Str(test, "comment");
        return groupName switch
        {
            // A JWE where a JWS is expected: 5 (or 4) segments, or JSON serialization (docs/ATTACKS.md A06/A07).
            _ when groupName.StartsWith("jwe_", StringComparison.Ordinal) => new(nameof(ValidationError.Malformed), 0, 1, "JWE given to a JWS validator"),
            "jws_rsa_roca_key" => new(Refused, "ROCA fingerprint", Roca),
            "jws_mixedSymmetryKeyset" => new(Refused, "mixes HMAC secrets with public keys", "mixed set: HMAC secret beside an EC public key"),
            "jws_keyset" => new(comment == "acceptsValid" ? nameof(ValidationError.None) : nameof(ValidationError.InvalidSignature), 2, 0, "two HMAC keys"),
            _ => new(
                JoseHarness.ByComment(comment, VectorFile.Flags(test))?.ToString() ?? throw new InvalidOperationException($"tcId {id} ({comment}) has no expected code"),
                1,
                0,
                "label"),
        };
    }

    private void Check(string file, int tcId)
    {
        JsonDocument doc = VectorFile.Open(file);
        (JsonElement group, JsonElement test) = VectorFile.Find(doc, tcId);
        Expectation expected = Expected(file, group, test);
        JoseRun run = Run(group, test);
        output.WriteLine($"tcId {tcId} [{VectorFile.Str(group, "comment")}] {VectorFile.Str(test, "comment")} label={VectorFile.Str(test, "result")} expected={expected.Outcome} ({expected.Why}) got={run.JwsLayer} keys={run.Keys?.Keys.Count} skipped={run.Keys?.Skipped} full={run.Full} {run.KeyError}");

        if (VectorFile.Str(test, "result") == "invalid" && expected.Outcome == nameof(ValidationError.None))
        {
            Assert.StartsWith("KNOWN DEVIATION", expected.Why, StringComparison.Ordinal);
        }

        Assert.Equal(expected.Outcome, run.JwsLayer);
        if (expected.Outcome == Refused)
        {
            Assert.Contains(expected.Message!, run.KeyError, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(expected.Keys, run.Keys!.Keys.Count);
        Assert.Equal(expected.Skipped, run.Keys.Skipped);
        Assert.Equal(ValidationError.Malformed, run.Full);
    }

    /// <summary>One row's expectation: the outcome, and for a loaded set its key counts.</summary>
    private sealed record Expectation(string Outcome, int Keys, int Skipped, string Why, string? Message = null)
    {
        /// <summary>A refusal, with the part of the KeyException message that names the reason.</summary>
        public Expectation(string outcome, string message, string why)
            : this(outcome, -1, -1, why, message)
        {
        }
    }
}
