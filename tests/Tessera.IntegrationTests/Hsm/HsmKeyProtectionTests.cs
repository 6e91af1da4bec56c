// The private half stays in the token: sensitive and non-extractable from birth, and the token
// refuses to hand out its value.
using Tessera.Algorithms;
using Tessera.Keys.Pkcs11;

namespace Tessera.IntegrationTests.Hsm;

[Collection(SoftHsmGroup.Name)]
public sealed class HsmKeyProtectionTests(SoftHsm hsm)
{
    [Theory]
    [InlineData("EdDSA", "OKP")]
    [InlineData("ES256", "EC")]
    [InlineData("RS256", "RSA")]
    public void A_generated_key_is_sensitive_non_extractable_and_its_value_cannot_be_read(string name, string keyType)
    {
        string kid = hsm.Backend.Generate(JwsAlgorithm.Parse(name), rsaBits: 2048);
        try
        {
            Pkcs11KeyInfo info = hsm.Backend.Describe(kid)!;
            Assert.Equal(kid, info.KeyId);
            Assert.Equal(keyType, info.KeyType);
            Assert.True(info.Sensitive);
            Assert.False(info.Extractable);
            Assert.True(info.AlwaysSensitive);
            Assert.True(info.NeverExtractable);
            Assert.False(info.PrivateValueReadable);
            Assert.True(info.IsHardened);
        }
        finally
        {
            hsm.Backend.Destroy(kid);
        }
    }

    [Fact]
    public void A_key_that_gives_out_its_value_is_not_hardened()
    {
        var info = new Pkcs11KeyInfo("k", "EC", Sensitive: true, Extractable: false, AlwaysSensitive: true, NeverExtractable: true, PrivateValueReadable: true);
        Assert.False(info.IsHardened);
        Assert.False((info with { PrivateValueReadable = false, Extractable = true }).IsHardened);
        Assert.False((info with { PrivateValueReadable = false, Sensitive = false }).IsHardened);
        Assert.True((info with { PrivateValueReadable = false }).IsHardened);
    }
}
