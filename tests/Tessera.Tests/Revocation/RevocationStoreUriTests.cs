using Tessera.Revocation;
using Tessera.Server.Configuration;
using Tessera.Server.Revocation;
using Tessera.Tests.Support;

namespace Tessera.Tests.Revocation;

/// <summary>
/// revocation.store is parsed once into a type (docs/SPEC.md §7): an unknown or malformed URI is
/// a configuration error naming the key, a store that cannot be used is a start-up error and
/// never a silent fallback, and a password in the URI never reaches a message.
/// </summary>
public sealed class RevocationStoreUriTests
{
    [Theory]
    [InlineData("sqlite:/var/lib/tessera/revocations.db", RevocationStoreKind.Sqlite)]
    [InlineData("sqlite:relative/revocations.db", RevocationStoreKind.Sqlite)]
    [InlineData("redis://127.0.0.1:16379", RevocationStoreKind.Redis)]
    [InlineData("redis://tessera:s3cret@redis.internal:16379/2", RevocationStoreKind.Redis)]
    [InlineData("rediss://redis.internal:6380", RevocationStoreKind.Redis)]
    [InlineData("redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/revocations", RevocationStoreKind.RedisSentinel)]
    public void Parse_Accepts_TheFormsOfSpec7(string text, RevocationStoreKind kind)
    {
        Assert.True(RevocationStoreUri.TryParse(text, out RevocationStoreUri? uri, out string? problem), problem);
        Assert.Equal(kind, uri!.Kind);
        Assert.Equal(text, uri.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sqlite:")]
    [InlineData("sqlite://10.0.0.5:16379")] // once opened as a SQLite file named /10.0.0.5:16379
    [InlineData("redis://")]
    [InlineData("redis://host")] // no port
    [InlineData("redis://host:16379/db")]
    [InlineData("redis://a:1,b:2")] // several hosts only with Sentinel
    [InlineData("redis-sentinel://10.0.0.1:26379")] // no service name
    [InlineData("memcached://host:11211")]
    [InlineData("/var/lib/tessera/revocations.db")]
    public void Parse_Refuses_AnythingElse(string text)
    {
        Assert.False(RevocationStoreUri.TryParse(text, out RevocationStoreUri? uri, out string? problem));
        Assert.Null(uri);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("redis://tessera:s3cret@redis.internal:16379")]
    [InlineData("rediss://:s3cret@redis.internal:6380/1")]
    [InlineData("http://tessera:s3cret@redis.internal:16379")]
    public void PasswordInTheUri_NeverAppearsInMessages(string text)
    {
        string shown = RevocationStoreUri.TryParse(text, out RevocationStoreUri? uri, out string? problem) ? uri!.ToString() : problem!;
        Assert.DoesNotContain("s3cret", shown, StringComparison.Ordinal);
        Assert.Contains("redis.internal", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_NamesTheKey_WhenTheStoreIsNotAUri()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            """{"issuer":"https://a","audiences":["x"],"revocation":{"store":"sqlite://10.0.0.5:16379"}}""",
            new Dictionary<string, string?>()));
        Assert.Contains("revocation.store", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RefusesRedis_UntilTheRedisStoreExists_AndCreatesNothing()
    {
        using var dir = new TempDir();
        string cwd = Environment.CurrentDirectory;
        Assert.True(RevocationStoreUri.TryParse("redis://tessera:s3cret@127.0.0.1:16379", out RevocationStoreUri? uri, out _));
        var ex = Assert.Throws<ConfigException>(() => RevocationStores.Open(uri!, TimeProvider.System));
        Assert.StartsWith("revocation.store:", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/127.0.0.1:16379"));
        Assert.False(File.Exists(Path.Combine(cwd, "127.0.0.1:16379")));
    }

    [Fact]
    public void Open_Sqlite_IsADurableStoreAtThePath()
    {
        using var dir = new TempDir();
        Assert.True(RevocationStoreUri.TryParse("sqlite:" + dir["revocations.db"], out RevocationStoreUri? uri, out _));
        using (IRevocationStore store = RevocationStores.Open(uri!, TimeProvider.System))
        {
            Assert.True(store.Revoke("jti-1", TimeProvider.System.GetUtcNow().AddHours(1)));
        }

        Assert.True(File.Exists(dir["revocations.db"]));
        using IRevocationStore reopened = RevocationStores.Open(uri!, TimeProvider.System);
        Assert.True(reopened.IsRevoked("jti-1"));
    }
}
