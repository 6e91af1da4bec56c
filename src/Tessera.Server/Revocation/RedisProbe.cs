// What `tessera doctor` asks a Redis revocation store (docs/operations.md, "Revocation at
// scale"): does it answer, how fast, does it persist (AOF or RDB), and does it never evict (an
// evicted key is a revoked token accepted again). Read-only: PING, INFO persistence, CONFIG GET.
using System.Diagnostics;
using StackExchange.Redis;

namespace Tessera.Server.Revocation;

/// <summary>What a Redis revocation store said when probed.</summary>
/// <param name="Error">Why it could not be asked (password never included); null when it answered.</param>
/// <param name="Latency">The round trip of one PING.</param>
/// <param name="Aof">Append-only file on.</param>
/// <param name="Rdb">RDB snapshots configured (CONFIG GET save not empty).</param>
/// <param name="EvictionPolicy">maxmemory-policy, or null when CONFIG GET is not allowed.</param>
public sealed record RedisProbeResult(string? Error, TimeSpan Latency, bool Aof, bool Rdb, string? EvictionPolicy);

/// <summary>Probes a Redis revocation store for <c>doctor</c>.</summary>
public static class RedisProbe
{
    /// <summary>Asks the Redis (or the Sentinel-managed primary) <paramref name="uri"/> names.</summary>
    public static RedisProbeResult Run(RevocationStoreUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ConfigurationOptions options = RedisUri.Options(uri, TimeSpan.FromSeconds(5));
        options.AbortOnConnectFail = true;
        options.AllowAdmin = true; // INFO and CONFIG GET, both read-only here
        try
        {
            using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect(options);
            IDatabase db = redis.GetDatabase();
            db.Ping();
            var clock = Stopwatch.StartNew();
            db.Ping();
            TimeSpan latency = clock.Elapsed;
            string info = (string)db.Execute("INFO", "persistence")!;
            bool aof = info.Contains("aof_enabled:1", StringComparison.Ordinal);
            bool rdb = false;
            string? policy = null;
            try
            {
                RedisResult[] save = (RedisResult[])db.Execute("CONFIG", "GET", "save")!;
                rdb = save.Length == 2 && !string.IsNullOrWhiteSpace((string?)save[1]);
                RedisResult[] eviction = (RedisResult[])db.Execute("CONFIG", "GET", "maxmemory-policy")!;
                policy = eviction.Length == 2 ? (string?)eviction[1] : null;
            }
            catch (Exception ex) when (ex is RedisServerException or RedisCommandException)
            {
                // CONFIG may be renamed or denied by ACL: reported as unknown.
            }

            return new RedisProbeResult(null, latency, aof, rdb, policy);
        }
        catch (Exception ex) when (ex is RedisException or RedisCommandException or TimeoutException)
        {
            return new RedisProbeResult(RedisUri.Redact(ex.Message, options), TimeSpan.Zero, false, false, null);
        }
    }
}
