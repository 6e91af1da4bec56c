using Tessera.Algorithms;
using Tessera.Server.Configuration;
using Tessera.Server.Revocation;
using Tessera.Tests.Support;

namespace Tessera.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Defaults_AreTheSpecDefaults()
    {
        TesseraConfig c = ConfigLoader.Parse("""{"issuer":"https://a","audiences":["x"]}""", NoEnvironment);
        Assert.Equal([JwsAlgorithm.EdDSA], c.AllowedAlgs);
        Assert.Equal(JwsAlgorithm.EdDSA, c.SigningAlg);
        Assert.Equal("at+jwt", c.TokenTyp);
        Assert.Equal(TimeSpan.FromMinutes(15), c.TokenTtl);
        Assert.Equal(TimeSpan.FromMinutes(60), c.MaxTokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(30), c.ClockSkew);
        Assert.Equal(8192, c.MaxTokenSize);
        Assert.Equal("https://0.0.0.0:443", c.Listen);
        Assert.Equal("/etc/jwt/keys", c.KeysDir);
        Assert.Equal(TimeSpan.FromDays(30), c.RotateEvery);
        Assert.Equal(TimeSpan.FromDays(2), c.Prepublish);
        Assert.Equal(4096, c.RsaBits);
        Assert.Equal(RevocationStoreKind.Sqlite, c.RevocationStore.Kind);
        Assert.Equal("/var/lib/tessera/revocations.db", c.RevocationStore.Path);
        Assert.Contains("127.0.0.0/8", c.AllowedCidrs);
        Assert.Empty(c.TrustedProxies);
        Assert.Equal((100, TimeSpan.FromSeconds(1)), c.RatePerClient);
        Assert.Equal((1000, TimeSpan.FromSeconds(1)), c.RatePerAddress);
        Assert.Equal("/var/log/auth/security.log", c.SecurityLog);
        Assert.Equal(TimeSpan.FromHours(1), c.Schedule.JwksMaxAge);
        Assert.Equal(TimeSpan.FromMinutes(60) + TimeSpan.FromSeconds(30), c.Schedule.RetireAfter);
    }

    [Fact]
    public void Problems_NameEveryBadKey_AtOnce()
    {
        const string json = """
            {"issuer":"https://a","audiences":["x"],"token_ttl":"2h","clock_skew":"10m","allowed_algs":["none","RS256"],
             "keys":{"rsa_bits":1024,"dri":"/x"},"frobnicate":true,"issuance":{"rate_limit":{"per_client":"fast"}}}
            """;
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, NoEnvironment));
        foreach (string key in new[] { "token_ttl", "clock_skew", "allowed_algs: 'none' is never allowed", "keys.rsa_bits", "keys.dri: unknown key", "frobnicate: unknown key", "issuance.rate_limit.per_client" })
        {
            Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EnvironmentOverrides_ReplaceFileValues_AndUnknownOnesAreErrors()
    {
        var env = new Dictionary<string, string?>
        {
            ["TESSERA_KEYS__DIR"] = "/srv/keys",
            ["TESSERA_TOKEN_TTL"] = "30m",
            ["TESSERA_AUDIENCES"] = "a,b",
            ["TESSERA_ISSUANCE__RATE_LIMIT__PER_CLIENT"] = "0",
            ["TESSERA_CONFIG"] = "/ignored",
        };
        TesseraConfig c = ConfigLoader.Parse("""{"issuer":"https://a","audiences":["x"],"keys":{"dir":"/etc/jwt/keys"}}""", env);
        Assert.Equal("/srv/keys", c.KeysDir);
        Assert.Equal(TimeSpan.FromMinutes(30), c.TokenTtl);
        Assert.Equal(["a", "b"], c.Audiences);
        Assert.Equal(0, c.RatePerClient.Permits);

        env["TESSERA_ISSUR"] = "typo";
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{"issuer":"https://a","audiences":["x"]}""", env));
        Assert.Contains("TESSERA_ISSUR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientAudiences_MustBeAmongTheIssuersAudiences()
    {
        const string json = """
            {"issuer":"https://a","audiences":["api"],
             "clients":[{"id":"c","secret_hash":"hmac-sha256$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","audiences":["api","elsewhere"]}]}
            """;
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, NoEnvironment));
        Assert.Contains("clients[0].audiences: 'elsewhere'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenAndNetworks_AreNamedConfigurationErrors_BeforeTheServerBinds()
    {
        const string json = """
            {"issuer":"https://a","audiences":["api"],"listen":"http://example.com",
             "issuance":{"allowed_cidrs":["10.0.0.0/8","10.0.0/33"],"trusted_proxies":["proxy.local"]}}
            """;
        TesseraConfig config = ConfigLoader.Parse(json, NoEnvironment);
        var ex = Assert.Throws<ConfigException>(() => Tessera.Server.TokenService.CheckNetworkSettings(config));
        Assert.Contains("listen:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("issuance.allowed_cidrs: '10.0.0/33'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("issuance.trusted_proxies: 'proxy.local'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKeysAndComments_AreRefused()
    {
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{"issuer":"a","issuer":"b","audiences":["x"]}""", NoEnvironment));
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{\"issuer\":\"a\", // c\n \"audiences\":[\"x\"]}", NoEnvironment));
    }

    [Fact]
    public void SampleAuthJson_IsAValidConfiguration()
    {
        string path = Path.Combine(Repository.Root, "samples", "auth.json");
        TesseraConfig c = ConfigLoader.Load(path, NoEnvironment);
        Assert.Equal("https://auth.grid.example", c.Issuer);
        Assert.Equal(JwsAlgorithm.EdDSA, c.SigningAlg);
    }
}
