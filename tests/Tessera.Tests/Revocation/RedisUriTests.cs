using StackExchange.Redis;
using Tessera.Server.Revocation;

namespace Tessera.Tests.Revocation;

/// <summary>From a revocation.store URI to the Redis client's settings (no connection is made).</summary>
public sealed class RedisUriTests
{
    private static ConfigurationOptions Options(string text)
    {
        Assert.True(RevocationStoreUri.TryParse(text, out RevocationStoreUri? uri, out string? problem), problem);
        return RedisUri.Options(uri!, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Redis_HostPortDatabaseUserAndPassword()
    {
        ConfigurationOptions o = Options("redis://tessera:p%40ss%3Aword@10.1.2.3:6380/3");
        Assert.Equal("10.1.2.3:6380", Assert.Single(o.EndPoints).ToString());
        Assert.Equal("tessera", o.User);
        Assert.Equal("p@ss:word", o.Password);
        Assert.Equal(3, o.DefaultDatabase);
        Assert.False(o.Ssl);
        Assert.Null(o.ServiceName);
    }

    [Fact]
    public void Redis_PasswordOnly_AndNoDatabase()
    {
        ConfigurationOptions o = Options("redis://:secret@localhost:16379");
        Assert.Null(o.User);
        Assert.Equal("secret", o.Password);
        Assert.Null(o.DefaultDatabase);
    }

    [Fact]
    public void Rediss_TurnsTlsOn()
    {
        Assert.True(Options("rediss://cache.internal:6380").Ssl);
    }

    [Fact]
    public void Sentinel_ListsEverySentinel_AndTheService()
    {
        ConfigurationOptions o = Options("redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/tessera");
        Assert.Equal(2, o.EndPoints.Count);
        Assert.Equal("tessera", o.ServiceName);
    }

    [Fact]
    public void Timeouts_FollowTheStalenessBound()
    {
        Assert.True(RevocationStoreUri.TryParse("redis://127.0.0.1:6380", out RevocationStoreUri? uri, out _));
        ConfigurationOptions o = RedisUri.Options(uri!, TimeSpan.FromSeconds(2));
        Assert.Equal(1000, o.SyncTimeout);
        Assert.Equal(1000, o.AsyncTimeout);
    }

    [Fact]
    public void Redact_RemovesThePassword()
    {
        ConfigurationOptions o = Options("redis://u:hunter2@127.0.0.1:6380");
        Assert.Equal("AUTH failed for *** at 127.0.0.1", RedisUri.Redact("AUTH failed for hunter2 at 127.0.0.1", o));
    }
}
