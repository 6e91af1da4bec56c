using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Mutation;

/// <summary>
/// What every key type promises beyond signing: an RFC 7638 thumbprint over exactly its required
/// members, no signing or private export without a private part, private parts that round-trip,
/// fresh HMAC secrets, and a Dispose that really releases (and for HMAC, wipes) the key.
/// </summary>
public sealed class KeyLifecycleMutationTests
{
    private const string NoPrivatePart = "This key has no private part and cannot sign";

    [Theory]
    [MemberData(nameof(TestKeys.AllAlgorithms), MemberType = typeof(TestKeys))]
    public void Thumbprint_IsSha256OfTheRequiredMembers_InLexicographicOrder(string alg)
    {
        JwsKey key = TestKeys.For(alg);
        JsonObject jwk = JsonNode.Parse(key.ExportJwk())!.AsObject();
        string[] required = (string)jwk["kty"]! switch
        {
            "RSA" => ["e", "kty", "n"],
            "EC" => ["crv", "kty", "x", "y"],
            "OKP" => ["crv", "kty", "x"],
            _ => ["k", "kty"],
        };
        string canonical = "{" + string.Join(",", required.Select(m => $"\"{m}\":\"{(string)jwk[m]!}\"")) + "}";
        Assert.Equal(Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), key.Thumbprint);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("EdDSA")]
    public void PublicOnlyKey_RefusesToSignOrExportAPrivateKey(string alg)
    {
        JwsKey key = JwsKey.ImportJwk(TestKeys.For(alg).ExportJwk());
        Assert.False(key.HasPrivateKey);
        Assert.Equal(NoPrivatePart, Assert.Throws<KeyException>(() => key.ExportPrivateKeyPem()).Message);
        Assert.Equal(NoPrivatePart, Assert.Throws<KeyException>(() => key.Sign("data"u8, new byte[key.SignatureSize])).Message);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", key.ExportPublicKeyPem(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ed25519PrivateKey_RoundTripsThroughJwkAndPem()
    {
        string d = (string)JsonNode.Parse(TestKeys.For("EdDSA").ExportPrivateJwk())!["d"]!;
        JwsKey fromJwk = JwsKey.ImportJwk(TestKeys.For("EdDSA").ExportPrivateJwk());
        Assert.Equal(d, (string)JsonNode.Parse(fromJwk.ExportPrivateJwk())!["d"]!);

        string pem = fromJwk.ExportPrivateKeyPem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        JwsKey fromPem = JwsKey.ImportPem(pem);
        Assert.True(fromPem.HasPrivateKey);
        Assert.Equal(pem, fromPem.ExportPrivateKeyPem());
        Assert.Equal(fromJwk.Thumbprint, fromPem.Thumbprint);
    }

    [Theory]
    [InlineData("HS256", 256)]
    [InlineData("HS384", 384)]
    [InlineData("HS512", 512)]
    public void HmacKey_IsAFreshSecretOfTheHashSize_WithNoPemForm(string alg, int bits)
    {
        JwsKey a = JwsKey.Generate(JwsAlgorithm.Parse(alg));
        JwsKey b = JwsKey.Generate(JwsAlgorithm.Parse(alg));
        Assert.True(a.HasPrivateKey);
        Assert.Equal(bits, a.KeySizeBits);
        Assert.NotEqual(Secret(a), Secret(b));
        Assert.NotEqual(new string('A', Secret(a).Length), Secret(a));
        Assert.Contains("no PEM form", Assert.Throws<KeyException>(() => a.ExportPrivateKeyPem()).Message, StringComparison.Ordinal);
        Assert.Contains("no public part", Assert.Throws<KeyException>(() => a.ExportPublicKeyPem()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HmacKey_Dispose_WipesTheSecret()
    {
        JwsKey key = JwsKey.Generate(JwsAlgorithm.HS256);
        string secret = Secret(key);
        key.Dispose();
        Assert.NotEqual(secret, Secret(key));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("EdDSA")]
    [InlineData("HS256")]
    public void Dispose_ReleasesTheKey_SoItCanNoLongerSign(string alg)
    {
        JwsKey key = JwsKey.Generate(JwsAlgorithm.Parse(alg), rsaBits: 2048);
        byte[] signature = new byte[key.SignatureSize];
        Assert.True(key.Sign("data"u8, signature) > 0);
        key.Dispose();
        Assert.ThrowsAny<ObjectDisposedException>(() => key.Sign("data"u8, signature));
    }

    private static string Secret(JwsKey key) => (string)JsonNode.Parse(key.ExportPrivateJwk())!["k"]!;
}
