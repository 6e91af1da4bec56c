using Tessera.Server.Configuration;
using Tessera.Server.Revocation;

namespace Tessera.Tests.Configuration;

/// <summary>docs/SPEC.md §4 and §7: revocation.max_staleness, revocation.on_stale, revocation.journal.</summary>
public sealed class RevocationConfigTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    private static TesseraConfig Parse(string revocation, Dictionary<string, string?>? env = null) =>
        ConfigLoader.Parse("{\"issuer\":\"https://a\",\"audiences\":[\"x\"],\"revocation\":{" + revocation + "}}", env ?? NoEnvironment);

    [Fact]
    public void Defaults_AreFiveSecondsRefuseAndTheJournalUnderVarLib()
    {
        TesseraConfig c = Parse("");
        Assert.Equal(TimeSpan.FromSeconds(5), c.RevocationMaxStaleness);
        Assert.False(c.RevocationAcceptStale);
        Assert.Equal("/var/lib/tessera/revocation-journal.db", c.RevocationJournal);
    }

    [Fact]
    public void Values_AreRead()
    {
        TesseraConfig c = Parse("""
            "store":"redis://127.0.0.1:6380/2","max_staleness":"2s","on_stale":"accept","journal":"/srv/j.db"
            """);
        Assert.Equal(RevocationStoreKind.Redis, c.RevocationStore.Kind);
        Assert.Equal(TimeSpan.FromSeconds(2), c.RevocationMaxStaleness);
        Assert.True(c.RevocationAcceptStale);
        Assert.Equal("/srv/j.db", c.RevocationJournal);
        Assert.False(Parse("\"on_stale\":\"refuse\"").RevocationAcceptStale);
    }

    [Theory]
    [InlineData("\"max_staleness\":\"0s\"", "revocation.max_staleness")]
    [InlineData("\"max_staleness\":\"6m\"", "revocation.max_staleness")]
    [InlineData("\"max_staleness\":\"soon\"", "revocation.max_staleness")]
    [InlineData("\"on_stale\":\"ignore\"", "revocation.on_stale: 'ignore' must be refuse or accept")]
    [InlineData("\"on_stale\":\"Refuse\"", "revocation.on_stale")]
    [InlineData("\"journal\":\"\"", "revocation.journal")]
    [InlineData("\"stale\":\"refuse\"", "revocation.stale: unknown key")]
    public void BadValues_AreErrorsNamingTheKey(string revocation, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => Parse(revocation));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBounds_AreAccepted()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Parse("\"max_staleness\":\"1s\"").RevocationMaxStaleness);
        Assert.Equal(TimeSpan.FromMinutes(5), Parse("\"max_staleness\":\"5m\"").RevocationMaxStaleness);
    }

    [Fact]
    public void EnvironmentOverrides_Apply()
    {
        var env = new Dictionary<string, string?> { ["TESSERA_REVOCATION__ON_STALE"] = "accept", ["TESSERA_REVOCATION__MAX_STALENESS"] = "3s" };
        TesseraConfig c = Parse("", env);
        Assert.True(c.RevocationAcceptStale);
        Assert.Equal(TimeSpan.FromSeconds(3), c.RevocationMaxStaleness);
    }
}
