// TokenIssuer.Issue(IJwsSigner, ...): the seam a key held outside the process (an HSM) signs
// through. It must give the same token as the JwsKey path and refuse a signer that misbehaves.
using System.Text;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Jose;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Issuance;

public sealed class SignerIssuanceTests
{
    private static readonly FakeClock Clock = new(Tokens.Now);

    private static TokenIssuer Issuer() => new(new IssuanceOptions { Issuer = Tokens.Issuer }, Clock);

    [Theory]
    [InlineData("EdDSA")]
    [InlineData("ES256")]
    [InlineData("PS256")]
    public void A_signer_issues_tokens_the_pipeline_accepts_with_its_alg_and_kid(string alg)
    {
        JwsKey key = TestKeys.For(alg);
        var signer = new KeySigner(key, key.KeyId);
        string token = Issuer().Issue(signer, new TokenRequest { Subject = "meter-17", Audiences = [Tokens.Audience] }).Token;
        string header = Encoding.UTF8.GetString(Base64Url.Decode(token.Split('.')[0])!);
        Assert.Equal($"{{\"alg\":\"{alg}\",\"typ\":\"at+jwt\",\"kid\":\"{key.KeyId}\"}}", header);
        ValidationResult result = Validators.For(key, new FakeClock(Tokens.Now)).Validate(token);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(1, signer.Calls);
    }

    [Fact]
    public void The_header_is_not_reused_across_a_key_and_a_signer()
    {
        JwsKey key = TestKeys.For("EdDSA");
        TokenIssuer issuer = Issuer();
        string first = issuer.Issue(key, new TokenRequest { Subject = "s", Audiences = ["a"] }).Token;
        string second = issuer.Issue(new KeySigner(key, "other-kid"), new TokenRequest { Subject = "s", Audiences = ["a"] }).Token;
        Assert.NotEqual(first.Split('.')[0], second.Split('.')[0]);
        Assert.Contains("other-kid", Encoding.UTF8.GetString(Base64Url.Decode(second.Split('.')[0])!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_signer_that_claims_to_write_more_than_its_maximum_is_refused()
    {
        var signer = new KeySigner(TestKeys.For("EdDSA"), "k") { Overstate = true };
        Assert.Throws<InvalidOperationException>(() => Issuer().Issue(signer, new TokenRequest { Subject = "s", Audiences = ["a"] }));
    }

    private sealed class KeySigner(JwsKey key, string kid) : IJwsSigner
    {
        public JwsAlgorithm Algorithm => key.Algorithm;

        public string KeyId => kid;

        public int MaxSignatureSize => key.SignatureSize;

        public bool Overstate { get; init; }

        public int Calls { get; private set; }

        public int Sign(ReadOnlySpan<byte> data, Span<byte> signature)
        {
            Calls++;
            int written = key.Sign(data, signature);
            return Overstate ? MaxSignatureSize + 1 : written;
        }
    }
}
