using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Vectors;

/// <summary>
/// rfc_examples.json: 22 exact tokens from RFC 7515 App. A/E, RFC 7520 §4 and §5.2, RFC 7797 §4
/// and RFC 8037 App. A.4, one row each.
///
/// JWS layer (the main check): the entry's <c>jwk</c> read with KeySet.FromJwks; a key without
/// <c>alg</c> is bound to the entry's <c>alg</c> ("the one it was created for", docs/SPEC.md §1), so
/// RFC 7520 §4.2's RSA key is PS384 here (Wycheproof's copy says PS256). Entries without a key
/// (A.5 none, App. E crit, the §5.2 JWE) run against an unrelated Ed25519 key: they must fail
/// before any key is looked at. RFC 7520 §4.8's three-key set mixes an HMAC secret with public
/// keys and is refused (KeyException) — asserted — and its token then runs against that
/// unrelated key too.
///
/// Full pipeline: hardened default policy (typ at+jwt, iss "joe", required iss sub aud exp iat
/// jti) with the clock pinned a minute before the RFC 7515 tokens' exp (2011-03-22T18:43:00Z).
/// The RFC tokens carry no at+jwt typ (A.1 has typ JWT, A.2/A.3 none), so the validly signed
/// A.1–A.3 stop at step 5: invalid_type. The "expired" of expected_hardened_jwt_validator is not
/// reachable: with typ JWT allowed (the docs/SPEC.md §1 legacy setting), A.1 stops at missing_claim
/// (no sub, aud, iat, jti; aud is always required), before and after exp alike — asserted by a
/// separate test. Every other payload is not a JSON object, so the full pipeline says malformed
/// at step 1; that includes the derived Ed25519 bit-flip, whose text payload fails before its
/// signature is checked.
/// </summary>
public sealed class RfcExampleTests(ITestOutputHelper output)
{
    private const string File = "rfc_examples.json";

    /// <summary>exp of the RFC 7515 App. A claims (2011-03-22T18:43:00Z).</summary>
    private const long RfcExp = 1_300_819_380;

    private const string Substitute = "substitute";

    // name → JWS-layer code, key-set load ("keys/skipped", KeyException, or the substitute key),
    // full-pipeline code.
    private static readonly Dictionary<string, (ValidationError Jws, string Load, ValidationError Full)> Table = new()
    {
        ["RFC7515-A.1-HS256"] = (ValidationError.None, "1/0", ValidationError.InvalidType),
        ["RFC7515-A.2-RS256"] = (ValidationError.None, "1/0", ValidationError.InvalidType),
        ["RFC7515-A.3-ES256"] = (ValidationError.None, "1/0", ValidationError.InvalidType),
        ["RFC7515-A.4-ES512"] = (ValidationError.None, "1/0", ValidationError.Malformed),

        // An unsecured JWS: the empty signature passes step 1, and step 2 refuses "none".
        ["RFC7515-A.5-unsecured-none"] = (ValidationError.InvalidAlgorithm, Substitute, ValidationError.InvalidAlgorithm),

        // JSON serialization. A.6's RSA key has no alg and the entry names two, so it is skipped.
        ["RFC7515-A.6-general-JSON-serialization"] = (ValidationError.Malformed, "1/1", ValidationError.Malformed),
        ["RFC7515-A.7-flattened-JSON-serialization"] = (ValidationError.Malformed, "1/0", ValidationError.Malformed),

        // crit (and alg none, and an empty signature).
        ["RFC7515-E-crit-negative"] = (ValidationError.Malformed, Substitute, ValidationError.Malformed),
        ["RFC7520-4.1-RS256"] = (ValidationError.None, "1/0", ValidationError.Malformed),
        ["RFC7520-4.2-PS384"] = (ValidationError.None, "1/0", ValidationError.Malformed),
        ["RFC7520-4.3-ES512"] = (ValidationError.None, "1/0", ValidationError.Malformed),
        ["RFC7520-4.4-HS256"] = (ValidationError.None, "1/0", ValidationError.Malformed),

        // Detached content: empty payload segment (docs/ATTACKS.md A05).
        ["RFC7520-4.5-HS256-detached-content"] = (ValidationError.Malformed, "1/0", ValidationError.Malformed),
        ["RFC7520-4.6-HS256-flattened-JSON"] = (ValidationError.Malformed, "1/0", ValidationError.Malformed),
        ["RFC7520-4.7-HS256-flattened-JSON"] = (ValidationError.Malformed, "1/0", ValidationError.Malformed),
        ["RFC7520-4.8-multiple-signatures-general-JSON"] = (ValidationError.Malformed, JoseHarness.KeyRefused, ValidationError.Malformed),
        ["RFC7797-4.1-HS256-b64-true"] = (ValidationError.None, "1/0", ValidationError.Malformed),

        // b64:false with crit, detached (empty payload segment) / attached (4 segments).
        ["RFC7797-4.2-HS256-b64-false-detached"] = (ValidationError.Malformed, "1/0", ValidationError.Malformed),
        ["RFC7797-derived-attached-dot-payload"] = (ValidationError.Malformed, "1/0", ValidationError.Malformed),
        ["RFC8037-A.4-EdDSA-Ed25519"] = (ValidationError.None, "1/0", ValidationError.Malformed),
        ["RFC8037-A.4-derived-bitflip-sig"] = (ValidationError.InvalidSignature, "1/0", ValidationError.Malformed),

        // A 5-part JWE (docs/ATTACKS.md A06).
        ["RFC7520-5.2-JWE-5-part"] = (ValidationError.Malformed, Substitute, ValidationError.Malformed),
    };

    private static readonly Lazy<JwsKey> Unrelated = new(() => JwsKey.Generate(JwsAlgorithm.EdDSA));

    public static TheoryData<int> Examples => VectorFile.Indexes(File, root => root.GetProperty("examples"));

    /// <summary>Rows of the entries labelled valid (same numbering as <see cref="Examples"/>).</summary>
    public static TheoryData<int> ValidExamples
    {
        get
        {
            var data = new TheoryData<int>();
            int row = 0;
            foreach (JsonElement e in VectorFile.Open(File).RootElement.GetProperty("examples").EnumerateArray())
            {
                row++;
                if (VectorFile.Str(e, "expected") == "valid")
                {
                    data.Add(row);
                }
            }

            return VectorFile.NotEmpty(data, File);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void RfcExample_GetsItsExactCode_AtTheJwsLayer_AndInTheFullPipeline(int row)
    {
        JsonElement e = Entry(row);
        string name = VectorFile.Str(e, "name");
        (ValidationError jws, string load, ValidationError full) = Table[name];
        Outcome got = Run(e);
        output.WriteLine($"{name}: label={VectorFile.Str(e, "expected")} hardened='{VectorFile.Str(e, "expected_hardened_jwt_validator")}' load={got.Loaded} {got.KeyError} jws={got.Jws} full={got.Full.Error} ({got.Full.Detail})");

        Assert.Equal(load, got.Loaded);
        Assert.Equal(jws, got.Jws);
        Assert.Equal(full, got.Full.Error);
        Assert.Equal(VectorFile.Str(e, "expected") == "valid", got.Jws == ValidationError.None);
    }

    [Fact]
    public void RfcA1_WithLegacyTypJwtAllowed_StopsAtMissingClaim_BeforeAndAfterExp()
    {
        JsonElement e = Entry(1);
        Assert.Equal("RFC7515-A.1-HS256", VectorFile.Str(e, "name"));
        (KeySet keys, _, _) = Keys(e);
        foreach (long now in new[] { RfcExp - 60, RfcExp + 3600 })
        {
            ValidationResult r = JoseHarness.Validator(keys, keys.Algorithms, new FakeClock(now), type: "JWT", issuer: "joe").Validate(VectorFile.Str(e, "token"));
            output.WriteLine($"A.1 typ JWT allowed, now={now}: {r.Error} ({r.Detail})");
            Assert.Equal(ValidationError.MissingClaim, r.Error);
            Assert.Equal("sub", r.Detail);
        }
    }

    // HS*, RS* and EdDSA are deterministic: the RFC's private key must reproduce the RFC's
    // signature byte for byte. ES* and PS* are randomised: a fresh signature over the same
    // signing input must pass the JWS layer under the public key.
    [Theory]
    [MemberData(nameof(ValidExamples))]
    public void RfcExample_PrivateKey_ReproducesOrReSignsTheToken(int row)
    {
        JsonElement e = Entry(row);
        string name = VectorFile.Str(e, "name");
        string token = VectorFile.Str(e, "token");
        Assert.Equal("valid", VectorFile.Str(e, "expected"));

        // Every valid entry carries its signing key: the secret itself (oct) or jwk_private.
        JsonElement secret = e.TryGetProperty("jwk_private", out JsonElement p) ? p : e.GetProperty("jwk");
        Assert.True(e.TryGetProperty("jwk_private", out _) || VectorFile.OptStr(secret, "kty") == "oct", name + " has no private key");
        JwsAlgorithm alg = JwsAlgorithm.Parse(VectorFile.Str(e, "alg"));
        using JwsKey key = JwsKey.ImportJwk(secret.GetRawText(), alg);
        string signingInput = token[..token.LastIndexOf('.')];
        string resigned = Tokens.SignEncoded(key, signingInput);
        bool deterministic = alg.Family is AlgorithmFamily.Hmac or AlgorithmFamily.Rsa or AlgorithmFamily.EdDsa;
        output.WriteLine($"{name}: {alg.Name} deterministic={deterministic} same={resigned == token}");
        if (deterministic)
        {
            Assert.Equal(token, resigned);
        }
        else
        {
            Assert.NotEqual(token, resigned);
            (KeySet keys, _, _) = Keys(e);
            Assert.Equal(ValidationError.None, JoseHarness.Validator(keys, keys.Algorithms).VerifyJwsOnly(resigned));
        }
    }

    [Fact]
    public void RfcExamples_VerifyExactlyTheValidEntries_AndGiveEachCodeAsOftenAsTheTableSays()
    {
        JsonDocument doc = VectorFile.Open(File);
        var entries = doc.RootElement.GetProperty("examples").EnumerateArray().ToList();
        var outcomes = entries.Select(Run).ToList();
        var valid = entries.Where(x => VectorFile.Str(x, "expected") == "valid").Select(x => VectorFile.Str(x, "name")).ToList();
        var verified = entries.Where((_, i) => outcomes[i].Jws == ValidationError.None).Select(x => VectorFile.Str(x, "name")).ToList();
        string jws = Tally(outcomes.Select(o => o.Jws));
        string full = Tally(outcomes.Select(o => o.Full.Error));
        VectorFile.Summary(output, File, $"{entries.Count} entries ({valid.Count} valid, {entries.Count - valid.Count} invalid); verified {verified.Count}, rejected {entries.Count - verified.Count}; JWS layer: {jws}; full pipeline: {full}");

        Assert.Equal(doc.RootElement.GetProperty("count").GetInt32(), entries.Count);
        Assert.Equal(entries.Count, Table.Count);
        Assert.All(entries, x => Assert.True(Table.ContainsKey(VectorFile.Str(x, "name"))));

        // At the JWS layer exactly the "valid" entries verify; in the full pipeline none is
        // accepted (no RFC token is an at+jwt access token).
        Assert.Equal(valid.Count, verified.Count);
        Assert.Equal(entries.Count - valid.Count, entries.Count - verified.Count);
        Assert.Equal(valid, verified);
        Assert.DoesNotContain(outcomes, o => o.Full.IsValid);
        Assert.Equal(Tally(Table.Values.Select(t => t.Jws)), jws);
        Assert.Equal(Tally(Table.Values.Select(t => t.Full)), full);
    }

    private static string Tally(IEnumerable<ValidationError> codes) =>
        string.Join(", ", codes.GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));

    /// <summary>One entry through its key set: how the set loaded, the JWS-layer code, the full-pipeline result.</summary>
    private static Outcome Run(JsonElement e)
    {
        (KeySet keys, string loaded, string? keyError) = Keys(e);
        string token = VectorFile.Str(e, "token");
        TokenValidator validator = JoseHarness.Validator(keys, Allow(keys, e), new FakeClock(RfcExp - 60), issuer: "joe");
        return new Outcome(loaded, keyError, validator.VerifyJwsOnly(token), validator.Validate(token));
    }

    private static (KeySet Keys, string Loaded, string? Error) Keys(JsonElement e)
    {
        JsonElement jwk = e.GetProperty("jwk");
        if (jwk.ValueKind == JsonValueKind.Null)
        {
            return (new KeySet([Unrelated.Value]), Substitute, null);
        }

        // "RS256+ES256"-style names (JSON serializations) give no fallback.
        JwsAlgorithm? fallback = JwsAlgorithm.TryParse(VectorFile.Str(e, "alg"), out JwsAlgorithm a) ? a : null;
        try
        {
            KeySet set = KeySet.FromJwks(JoseHarness.Wrap(jwk), fallback);
            return (set, $"{set.Keys.Count}/{set.Skipped}", null);
        }
        catch (KeyException ex)
        {
            return (new KeySet([Unrelated.Value]), JoseHarness.KeyRefused, ex.Message);
        }
    }

    private static IReadOnlyList<JwsAlgorithm> Allow(KeySet keys, JsonElement e) =>
        keys.Keys.Count > 0 ? keys.Algorithms : JoseHarness.AllowList(keys, JoseHarness.Wrap(e.GetProperty("jwk")));

    private static JsonElement Entry(int row) => VectorFile.Open(File).RootElement.GetProperty("examples")[row - 1];

    private sealed record Outcome(string Loaded, string? KeyError, ValidationError Jws, ValidationResult Full);
}
