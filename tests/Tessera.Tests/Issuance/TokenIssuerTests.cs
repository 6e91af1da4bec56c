using System.Text;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Jose;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Issuance;

public sealed class TokenIssuerTests
{
    private static readonly FakeClock Clock = new(Tokens.Now);

    private static TokenIssuer Issuer(string type = "at+jwt") =>
        new(new IssuanceOptions { Issuer = Tokens.Issuer, Type = type }, Clock);

    [Theory]
    [MemberData(nameof(TestKeys.AllAlgorithms), MemberType = typeof(TestKeys))]
    public void Issue_MakesTokensThePipelineAccepts(string alg)
    {
        JwsKey key = TestKeys.For(alg);
        string token = Issuer().Issue(key, new TokenRequest { Subject = "meter-17", Audiences = [Tokens.Audience], Scope = "read write" }).Token;
        ValidationResult result = Validators.For(key, new FakeClock(Tokens.Now)).Validate(token);
        Assert.True(result.IsValid, result.ToString());
        Assert.True(result.Claims!.HasScope("write"));
        Assert.False(result.Claims.HasScope("wri"));
        Assert.Equal("meter-17", result.Claims.ClientId);
    }

    [Fact]
    public void Issue_HeaderIsExactlyAlgTypKid()
    {
        JwsKey key = TestKeys.For("EdDSA");
        string token = Issuer().Issue(key, new TokenRequest { Subject = "s", Audiences = ["a"] }).Token;
        string header = Encoding.UTF8.GetString(Base64Url.Decode(token.Split('.')[0])!);
        Assert.Equal($"{{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"{key.KeyId}\"}}", header);
    }

    [Fact]
    public void Issue_ClaimsFollowRfc9068_WithA128BitJti()
    {
        JwsKey key = TestKeys.For("ES256");
        string token = Issuer().Issue(key, new TokenRequest { Subject = "s", Audiences = ["a", "b"], Lifetime = TimeSpan.FromMinutes(5) }).Token;
        using JsonDocument claims = JsonDocument.Parse(Base64Url.Decode(token.Split('.')[1])!);
        JsonElement root = claims.RootElement;
        Assert.Equal(Tokens.Issuer, root.GetProperty("iss").GetString());
        Assert.Equal(2, root.GetProperty("aud").GetArrayLength());
        Assert.Equal(Tokens.Now + 300, root.GetProperty("exp").GetInt64());
        Assert.Equal(Tokens.Now, root.GetProperty("iat").GetInt64());
        Assert.Equal(Tokens.Now, root.GetProperty("nbf").GetInt64());
        Assert.True(Base64Url.Decode(root.GetProperty("jti").GetString()!)!.Length >= 16);
        string other = Issuer().Issue(key, new TokenRequest { Subject = "s", Audiences = ["a"] }).Token;
        using JsonDocument second = JsonDocument.Parse(Base64Url.Decode(other.Split('.')[1])!);
        Assert.NotEqual(root.GetProperty("jti").GetString(), second.RootElement.GetProperty("jti").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void Issue_Refuses_LifetimeOutside1To60Minutes(int minutes)
    {
        Assert.Throws<ArgumentException>(() => Issuer().Issue(TestKeys.For("EdDSA"),
            new TokenRequest { Subject = "s", Audiences = ["a"], Lifetime = TimeSpan.FromMinutes(minutes) }));
    }

    [Fact]
    public void Issue_RefusesToEmitATokenOverTheSizeLimit()
    {
        var big = new Dictionary<string, JsonElement> { ["blob"] = JsonSerializer.SerializeToElement(new string('x', 9000)) };
        Assert.Throws<TokenTooLargeException>(() => Issuer().Issue(TestKeys.For("EdDSA"),
            new TokenRequest { Subject = "s", Audiences = ["a"], Claims = big }));
    }

    [Fact]
    public void Issue_Refuses_ExtraClaimsThatOverrideRegisteredOnes()
    {
        var claims = new Dictionary<string, JsonElement> { ["exp"] = JsonSerializer.SerializeToElement(9_999_999_999) };
        Assert.Throws<ArgumentException>(() => Issuer().Issue(TestKeys.For("EdDSA"),
            new TokenRequest { Subject = "s", Audiences = ["a"], Claims = claims }));
    }

    [Fact]
    public void Issue_CanUseTypJwt_ForOlderValidators()
    {
        JwsKey key = TestKeys.For("RS256");
        string token = Issuer("JWT").Issue(key, new TokenRequest { Subject = "s", Audiences = [Tokens.Audience] }).Token;
        Assert.Equal(ValidationError.InvalidType, Validators.For(key).Validate(token).Error);
        var options = Validators.Options([JwsAlgorithm.RS256]) with { Type = "JWT" };
        Assert.True(new TokenValidator(options, new Tessera.Keys.KeySet([key]), new FakeClock(Tokens.Now)).Validate(token).IsValid);
    }
}
