using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Revocation;

/// <summary>`tessera doctor` rows for a Redis revocation store: reachable, persistence, eviction.</summary>
public sealed class RedisDoctorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Doctor_Passes_APersistentNonEvictingRedis_AndFailsTheOthers()
    {
        using (var good = new RedisServer(persistent: true))
        {
            string report = Doctor(good.Url);
            Assert.Matches(@"pass\s+revocation store\s+redis://127\.0\.0\.1:\d+ answers in", report);
            Assert.Matches(@"pass\s+redis persistence\s+AOF", report);
            Assert.Matches(@"pass\s+redis eviction\s+maxmemory-policy noeviction", report);

            good.Cli("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            Assert.Matches(@"fail\s+redis eviction\s+maxmemory-policy allkeys-lru", Doctor(good.Url));
        }

        using (var volatileRedis = new RedisServer(persistent: false))
        {
            Assert.Matches(@"fail\s+redis persistence\s+neither AOF nor RDB", Doctor(volatileRedis.Url));
        }

        Assert.Matches(@"fail\s+revocation store\s+redis://127\.0\.0\.1:1: ", Doctor("redis://127.0.0.1:1"));
    }

    private string Doctor(string store)
    {
        string config = _dir["auth.json"];
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["issuer"] = "https://doctor.test",
            ["audiences"] = new System.Text.Json.Nodes.JsonArray("api"),
            ["keys"] = new System.Text.Json.Nodes.JsonObject { ["dir"] = _dir["keys"] },
            ["revocation"] = new System.Text.Json.Nodes.JsonObject { ["store"] = store, ["journal"] = _dir["j.db"] },
        };
        File.WriteAllText(config, json.ToJsonString());
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return Support.Cli.Run(["doctor", "--config", config]).Stdout;
    }
}
