using Tessera.Algorithms;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Validation;

public sealed class PipelineTests
{
    [Theory]
    [MemberData(nameof(TestKeys.AllAlgorithms), MemberType = typeof(TestKeys))]
    public void Validate_Accepts_ValidTokenForEveryAlgorithm(string alg)
    {
        JwsKey key = TestKeys.For(alg);
        ValidationResult result = Validators.For(key).Validate(Tokens.Valid(key));
        Assert.Equal(ValidationError.None, result.Error);
        Assert.True(result.IsValid);
        Assert.Equal("device-1", result.Claims!.Subject);
    }

    [Theory]
    [MemberData(nameof(TestKeys.AllAlgorithms), MemberType = typeof(TestKeys))]
    public void Validate_Rejects_WhenOneSignatureBitFlips(string alg)
    {
        JwsKey key = TestKeys.For(alg);
        string token = Tokens.Valid(key);
        string[] parts = token.Split('.');
        byte[] sig = Tessera.Jose.Base64Url.Decode(parts[2])!;
        sig[^1] ^= 1;
        string tampered = parts[0] + "." + parts[1] + "." + Tokens.B64(sig);
        Assert.Equal(ValidationError.InvalidSignature, Validators.For(key).Validate(tampered).Error);
    }

    [Fact]
    public void Validate_ChecksSignatureBeforeClaims_WhenTokenIsBothExpiredAndForged()
    {
        JwsKey key = TestKeys.For("ES256");
        JwsKey other = JwsKey.Generate(JwsAlgorithm.ES256);
        string forged = Tokens.Sign(other, Tokens.Header(key), Tokens.Claims(now: Tokens.Now - 10_000));
        Assert.Equal(ValidationError.InvalidSignature, Validators.For(key).Validate(forged).Error);
    }

    [Fact]
    public void Validate_RepeatToken_StillChecksExpiry()
    {
        JwsKey key = TestKeys.For("EdDSA");
        var clock = new FakeClock(Tokens.Now);
        TokenValidator validator = Validators.For(key, clock);
        string token = Tokens.Valid(key);
        Assert.True(validator.Validate(token).IsValid);
        Assert.True(validator.Validate(token).IsValid);
        clock.Now += 300 + 30;
        Assert.Equal(ValidationError.Expired, validator.Validate(token).Error);
    }
}
