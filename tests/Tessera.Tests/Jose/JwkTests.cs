using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Tests.Jose;

public sealed class JwkTests
{
    // RFC 7638 §3.1 example key and thumbprint.
    private const string Rfc7638Jwk = """
        {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}
        """;

    [Fact]
    public void Thumbprint_MatchesRfc7638Example()
    {
        JwsKey key = JwsKey.ImportJwk(Rfc7638Jwk);
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", key.Thumbprint);
        Assert.Equal("2011-04-29", key.KeyId);
        Assert.Equal(JwsAlgorithm.RS256, key.Algorithm);
    }

    [Fact]
    public void Thumbprint_MatchesRfc8037Example()
    {
        JwsKey key = JwsKey.ImportJwk("""{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}""");
        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", key.Thumbprint);
        Assert.Equal(JwsAlgorithm.EdDSA, key.Algorithm);
    }

    [Theory]
    [MemberData(nameof(Support.TestKeys.AllAlgorithms), MemberType = typeof(Support.TestKeys))]
    public void PublicJwkSet_CarriesNoPrivateMembers_AndRoundTrips(string alg)
    {
        JwsKey key = Support.TestKeys.For(alg);
        if (key.Algorithm.IsSymmetric)
        {
            Assert.DoesNotContain("\"k\"", new KeySet([key]).ToJwks(), StringComparison.Ordinal);
            return;
        }

        string jwks = new KeySet([key]).ToJwks();
        foreach (string member in new[] { "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"" })
        {
            Assert.DoesNotContain(member, jwks, StringComparison.Ordinal);
        }

        KeySet back = KeySet.FromJwks(jwks);
        JwsKey copy = Assert.Single(back.Keys);
        Assert.Equal(key.KeyId, copy.KeyId);
        Assert.Equal(key.Thumbprint, copy.Thumbprint);
        Assert.Equal(key.Algorithm, copy.Algorithm);
        Assert.False(copy.HasPrivateKey);
    }

    [Fact]
    public void FromJwks_SkipsKeysForOtherUses_WithoutFailingTheSet()
    {
        JwsKey sig = Support.TestKeys.For("ES256");
        string sigJwk = sig.ExportJwk();
        string encJwk = sigJwk.Replace("\"use\":\"sig\"", "\"use\":\"enc\"", StringComparison.Ordinal).Replace(sig.KeyId, "enc-key", StringComparison.Ordinal);
        string oaep = """{"kty":"RSA","alg":"RSA-OAEP","kid":"oaep","n":"AQAB","e":"AQAB"}""";
        string okpX25519 = """{"kty":"OKP","crv":"X25519","kid":"x","x":"AAAA"}""";
        string unknownKty = """{"kty":"PQC","kid":"pq"}""";
        KeySet set = KeySet.FromJwks($$"""{"keys":[{{encJwk}},{{oaep}},{{sigJwk}},{{okpX25519}},{{unknownKty}}]}""");
        Assert.Equal(sig.KeyId, Assert.Single(set.Keys).KeyId);
        Assert.Equal(4, set.Skipped);
    }

    [Fact]
    public void FromJwks_Refuses_PrivateMembersInAPublicSet()
    {
        JwsKey key = JwsKey.Generate(JwsAlgorithm.ES256);
        var ex = Assert.Throws<KeyException>(() => KeySet.FromJwks($$"""{"keys":[{{key.ExportPrivateJwk()}}]}"""));
        Assert.Contains("private", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJwks_Refuses_DuplicateKidAndMixedSymmetry()
    {
        JwsKey ec = Support.TestKeys.For("ES256");
        Assert.Throws<KeyException>(() => KeySet.FromJwks($$"""{"keys":[{{ec.ExportJwk()}},{{ec.ExportJwk()}}]}"""));
        JwsKey hs = Support.TestKeys.For("HS256");
        Assert.Throws<KeyException>(() => KeySet.FromJwks($$"""{"keys":[{{ec.ExportJwk()}},{{hs.ExportPrivateJwk()}}]}"""));
    }

    [Theory]
    [InlineData("HS256", 31, "32 bytes")]
    [InlineData("HS384", 47, "48 bytes")]
    [InlineData("HS512", 63, "64 bytes")]
    public void ImportJwk_Refuses_ShortHmacSecret_NamingTheMinimum(string alg, int length, string minimum)
    {
        string k = Tessera.Jose.Base64Url.Encode(new byte[length]);
        var ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk($$"""{"kty":"oct","alg":"{{alg}}","k":"{{k}}"}"""));
        Assert.Contains(minimum, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportJwk_Refuses_RsaUnder2048Bits_NamingTheMinimum()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);
        var p = rsa.ExportParameters(false);
        string jwk = $$"""{"kty":"RSA","alg":"RS256","n":"{{Tessera.Jose.Base64Url.Encode(p.Modulus)}}","e":"AQAB"}""";
        var ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk(jwk));
        Assert.Contains("2048", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("RS256")]
    public void ImportJwk_Refuses_AlgThatDoesNotFitTheKey(string alg)
    {
        string jwk = Support.TestKeys.For("ES256").ExportJwk().Replace("\"alg\":\"ES256\"", $"\"alg\":\"{alg}\"", StringComparison.Ordinal);
        Assert.Throws<KeyException>(() => JwsKey.ImportJwk(jwk));
    }

    [Fact]
    public void ImportJwk_Refuses_EcPointNotOnTheCurve()
    {
        string jwk = Support.TestKeys.For("ES256").ExportJwk();
        int y = jwk.IndexOf("\"y\":\"", StringComparison.Ordinal) + 5;
        char flipped = jwk[y] == 'A' ? 'B' : 'A';
        Assert.Throws<KeyException>(() => JwsKey.ImportJwk(jwk[..y] + flipped + jwk[(y + 1)..]));
    }

    [Fact]
    public void ImportJwk_Refuses_SmallOrderEd25519Key()
    {
        // The identity point: every signature with S = 0 and R = identity would verify.
        string x = Tessera.Jose.Base64Url.Encode(Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"));
        var ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk($$"""{"kty":"OKP","crv":"Ed25519","x":"{{x}}"}"""));
        Assert.Contains("small order", ex.Message, StringComparison.Ordinal);
    }
}
