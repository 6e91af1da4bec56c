using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Mutation;

/// <summary>
/// JWK import: which algorithm a key is bound to, which keys are skipped rather than refused, the
/// RSA size guard before import, and refusals that name the member and the key at fault.
/// </summary>
public sealed class JwkImportMutationTests
{
    // RFC 8037 Appendix A.1.
    private const string EdX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    private const string EdD = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";

    // 31 zero bytes, canonically encoded: one byte short of a P-256 or Ed25519 coordinate.
    private static readonly string Short = new('A', 42);

    [Fact]
    public void Jwk_Refuses_DuplicateMembers()
    {
        Assert.Throws<KeyException>(() => JwsKey.ImportJwk($$"""{"kty":"OKP","kty":"OKP","crv":"Ed25519","x":"{{EdX}}"}"""));
        Assert.Throws<KeyException>(() => KeySet.FromJwks($$"""{"keys":[{"kty":"OKP","crv":"Ed25519","x":"{{EdX}}","x":"{{EdX}}"}]}"""));
    }

    [Theory]
    [InlineData("n")]
    [InlineData("e")]
    [InlineData("d")]
    [InlineData("p")]
    [InlineData("q")]
    [InlineData("dp")]
    [InlineData("dq")]
    [InlineData("qi")]
    public void RsaJwk_WithAnyEmptyMember_IsRefusedAsSuch_NamingTheKid(string member)
    {
        JsonObject jwk = JsonNode.Parse(TestKeys.For("RS256").ExportPrivateJwk())!.AsObject();
        jwk[member] = "";
        jwk["kid"] = "k1";
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk(jwk.ToJsonString()));
        Assert.Equal("JWK k1 has an empty RSA member", ex.Message);
        jwk.Remove("kid");
        ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk(jwk.ToJsonString()));
        Assert.Equal("JWK (no kid) has an empty RSA member", ex.Message);
    }

    [Fact]
    public void Jwk_WithALoneSurrogateInKeyOps_IsRefused_NamingTheMember()
    {
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk($$"""{"kty":"OKP","crv":"Ed25519","x":"{{EdX}}","key_ops":["\ud83d"]}"""));
        Assert.Equal("JWK member \"key_ops\" is not valid Unicode text", ex.Message);
    }

    [Fact]
    public void Jwk_Refuses_TrailingCommas_AndComments()
    {
        Assert.NotNull(JwsKey.ImportJwk($$"""{"kty":"OKP","crv":"Ed25519","x":"{{EdX}}"}"""));
        Assert.Throws<KeyException>(() => JwsKey.ImportJwk($$"""{"kty":"OKP","crv":"Ed25519","x":"{{EdX}}",}"""));
        Assert.Throws<KeyException>(() => KeySet.FromJwks($$"""{"keys":[{"kty":"OKP","crv":"Ed25519","x":"{{EdX}}"},]}"""));
        Assert.Throws<KeyException>(() => KeySet.FromJwks($$"""{"keys":[/* c */{"kty":"OKP","crv":"Ed25519","x":"{{EdX}}"}]}"""));
    }

    [Fact]
    public void ToJwks_WritesOneMemberPerLine()
    {
        string jwks = new KeySet([JwsKey.ImportJwk($$"""{"kty":"OKP","crv":"Ed25519","x":"{{EdX}}"}""")]).ToJwks();
        Assert.StartsWith("{\n  \"keys\": [", jwks.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void JwkAlg_TakesPrecedence_OverTheCallersFallbackOfTheSameFamily()
    {
        JsonObject rsa = Public("RS256");
        rsa["alg"] = "PS256";
        Assert.Equal(JwsAlgorithm.PS256, JwsKey.ImportJwk(rsa.ToJsonString(), JwsAlgorithm.RS256).Algorithm);

        string k = Base64Url.Encode(new byte[64]);
        Assert.Equal(JwsAlgorithm.HS512, JwsKey.ImportJwk($$"""{"kty":"oct","alg":"HS512","k":"{{k}}"}""", JwsAlgorithm.HS256).Algorithm);
    }

    [Fact]
    public void JwkWithoutAlg_IsSkipped_WhenTheFallbackIsOfAnotherFamilyOrAbsent()
    {
        JsonObject rsa = Public("RS256");
        rsa.Remove("alg");
        KeySet withEcFallback = KeySet.FromJwks(Set(rsa), JwsAlgorithm.ES256);
        Assert.Empty(withEcFallback.Keys);
        Assert.Equal(1, withEcFallback.Skipped);

        string k = Base64Url.Encode(new byte[32]);
        KeySet octWithoutFallback = KeySet.FromJwks($$"""{"keys":[{"kty":"oct","k":"{{k}}"}]}""");
        Assert.Empty(octWithoutFallback.Keys);
        Assert.Equal(1, octWithoutFallback.Skipped);
    }

    [Fact]
    public void KeyOps_WithOnlySign_IsASigningKey()
    {
        JwsKey key = JwsKey.ImportJwk($$"""{"kty":"OKP","crv":"Ed25519","key_ops":["sign"],"x":"{{EdX}}","d":"{{EdD}}"}""");
        Assert.True(key.HasPrivateKey);
    }

    [Fact]
    public void RsaJwk_Accepts8192Bits_EvenWithALeadingZeroByte()
    {
        Assert.Equal(8192, JwsKey.ImportJwk(RsaJwk(Modulus(1024))).KeySizeBits);
        Assert.Equal(8192, JwsKey.ImportJwk(RsaJwk([0, .. Modulus(1024)])).KeySizeBits);
    }

    [Fact]
    public void RsaJwk_OverTheSizeLimitByAByte_IsRefusedBeforeImport()
    {
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk(RsaJwk(Modulus(1026))));
        Assert.Contains("is over 8192 bits", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "[]", "must be a JSON object" },
        { $$"""{"crv":"Ed25519","x":"{{EdX}}"}""", "\"kty\"" },
        { """{"kty":1}""", "\"kty\" must be a string" },
        { $$"""{"kty":"OKP","crv":"Ed25519","kid":"","x":"{{EdX}}"}""", "\"kid\" is empty" },
        { $$"""{"kty":"OKP","crv":"Ed25519","key_ops":"verify","x":"{{EdX}}"}""", "\"key_ops\" must be an array" },
        { """{"kty":"RSA","alg":"RS256","e":"AQAB"}""", "no \"n\"" },
        { $$"""{"kty":"EC","x":"{{EdX}}","y":"{{EdX}}"}""", "no \"crv\"" },
        { $$"""{"kty":"EC","crv":"P-192","x":"{{EdX}}","y":"{{EdX}}"}""", "'P-192' is not supported" },
        { $$"""{"kty":"EC","crv":"P-256","x":"{{Short}}","y":"{{EdX}}"}""", "\"x\" must be exactly 32 bytes" },
        { $$"""{"kty":"OKP","crv":"Ed25519","x":"{{Short}}"}""", "\"x\" must be exactly 32 bytes" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Jwk_Refusal_NamesTheMemberAtFault(string jwk, string expected)
    {
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk(jwk));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, bool> KeyCases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in new[] { "rsa-alg-ES256", "rsa-bad-e", "ec-alg-ES384", "ec-off-curve", "ed-alg-ES256", "ed-x-mismatch", "oct-alg-ES256", "private-in-public-set" })
        {
            data.Add(name, true);
            data.Add(name, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeyCases))]
    public void Jwk_Refusal_NamesTheKid_OrSaysThereIsNone(string name, bool withKid)
    {
        (JsonObject jwk, bool viaSet) = name switch
        {
            "rsa-alg-ES256" => (With(Public("RS256"), "alg", "ES256"), false),
            "rsa-bad-e" => (With(Public("RS256"), "e", "AA"), false),
            "ec-alg-ES384" => (With(Public("ES256"), "alg", "ES384"), false),
            "ec-off-curve" => (OffCurve(Public("ES256")), false),
            "ed-alg-ES256" => (With(Public("EdDSA"), "alg", "ES256"), false),
            "ed-x-mismatch" => (With(With(Public("EdDSA"), "d", EdD), "alg", "EdDSA"), false),
            "oct-alg-ES256" => (With(Public("HS256"), "alg", "ES256"), false),
            _ => (JsonNode.Parse(TestKeys.For("ES256").ExportPrivateJwk())!.AsObject(), true),
        };
        jwk.Remove("kid");
        if (withKid)
        {
            jwk["kid"] = "kid-at-fault";
        }

        KeyException ex = Assert.Throws<KeyException>(() => viaSet ? KeySet.FromJwks(Set(jwk)) : JwsKey.ImportJwk(jwk.ToJsonString()));
        Assert.Contains(withKid ? "kid-at-fault" : "(no kid)", ex.Message, StringComparison.Ordinal);
    }

    private static JsonObject Public(string alg) => JsonNode.Parse(TestKeys.For(alg).ExportJwk())!.AsObject();

    private static JsonObject With(JsonObject jwk, string member, string value)
    {
        jwk[member] = value;
        return jwk;
    }

    private static JsonObject OffCurve(JsonObject jwk)
    {
        byte[] y = Base64Url.Decode((string)jwk["y"]!)!;
        y[^1] ^= 1;
        jwk["y"] = Base64Url.Encode(y);
        return jwk;
    }

    private static string Set(JsonObject jwk) => new JsonObject { ["keys"] = new JsonArray(jwk.DeepClone()) }.ToJsonString();

    // An odd modulus with its top bit set: importable as a public key without generating one.
    private static byte[] Modulus(int bytes)
    {
        byte[] n = new byte[bytes];
        new Random(bytes).NextBytes(n);
        n[0] |= 0x80;
        n[^1] |= 1;
        return n;
    }

    private static string RsaJwk(byte[] modulus) =>
        $$"""{"kty":"RSA","alg":"RS256","n":"{{Base64Url.Encode(modulus)}}","e":"AQAB"}""";
}
