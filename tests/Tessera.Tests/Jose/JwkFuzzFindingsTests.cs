using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Tests.Jose;

/// <summary>
/// Inputs coverage-guided fuzzing found (fuzz/findings/jwk): reading a JWK or JWK Set throws
/// only KeyException for bad input, whatever the input, never another exception.
/// </summary>
public sealed class JwkFuzzFindingsTests
{
    [Theory]
    [InlineData("""{"kty":"\udfff"}""")]
    [InlineData("""{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"\ud800"}""")]
    [InlineData("""{"kty":"EC","k\ud800":1}""")]
    [InlineData("""{"kty":"RSA","alg":"RS256","n":"AQAB","e":""}""")]
    [InlineData("""{"kty":"RSA","alg":"RS256","n":"","e":"AQAB"}""")]
    [InlineData("""{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","key_ops":["\ud83d"]}""")]
    public void ImportJwk_RefusesWithKeyException_WhereFuzzingFoundOtherExceptions(string jwk)
    {
        Assert.Throws<KeyException>(() => JwsKey.ImportJwk(jwk));
    }

    [Theory]
    [InlineData("""{"keys":[{"kty":"OKP","kid":"\ud800"}]}""")]
    [InlineData("""{"keys":[],"k\ud800":1}""")]
    [InlineData("""{"keys":[{"kty":"RSA","alg":"RS256","n":"","e":"AQAB"}]}""")]
    [InlineData("""{"keys":[{"kty":"RSA","alg":"RS256","n":"AQAB","e":""}]}""")]
    [InlineData("""{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","key_ops":["\ud83d"]}]}""")]
    public void FromJwks_RefusesWithKeyException_WhereFuzzingFoundOtherExceptions(string jwks)
    {
        Assert.Throws<KeyException>(() => KeySet.FromJwks(jwks));
    }
}
