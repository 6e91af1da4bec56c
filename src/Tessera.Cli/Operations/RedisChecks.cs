// doctor rows for a Redis revocation store (docs/operations.md, "Revocation at scale"): reachable
// and how fast, persistence on (AOF or RDB), and no eviction.
using System.Globalization;
using Tessera.Server.Configuration;
using Tessera.Server.Revocation;

namespace Tessera.Cli.Operations;

internal static class RedisChecks
{
    public static IEnumerable<DoctorCheck> Run(TesseraConfig config)
    {
        RedisProbeResult probe = RedisProbe.Run(config.RevocationStore);
        if (probe.Error is not null)
        {
            yield return new("revocation store", DoctorStatus.Fail, $"{config.RevocationStore}: {probe.Error}", "start Redis, or fix revocation.store (host, port, password)");
            yield break;
        }

        string ms = probe.Latency.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) + " ms";
        yield return probe.Latency > config.RevocationMaxStaleness / 10
            ? new("revocation store", DoctorStatus.Warn, $"{config.RevocationStore} answers in {ms}", "a round trip this slow eats into revocation.max_staleness: move Redis closer")
            : new("revocation store", DoctorStatus.Pass, $"{config.RevocationStore} answers in {ms}");

        yield return probe.Aof || probe.Rdb
            ? new("redis persistence", DoctorStatus.Pass, (probe.Aof ? "AOF" : "") + (probe.Aof && probe.Rdb ? " and " : "") + (probe.Rdb ? "RDB" : "") + " on")
            : new("redis persistence", DoctorStatus.Fail, "neither AOF nor RDB: a restart forgets every revocation until an issuer re-seeds it", "appendonly yes (samples/redis/redis.conf)");

        yield return probe.EvictionPolicy switch
        {
            null => new("redis eviction", DoctorStatus.Warn, "maxmemory-policy could not be read (CONFIG denied)", "make sure it is noeviction"),
            "noeviction" => new("redis eviction", DoctorStatus.Pass, "maxmemory-policy noeviction"),
            string other => new("redis eviction", DoctorStatus.Fail, $"maxmemory-policy {other}: Redis may evict revocations, silently accepting revoked tokens again", "maxmemory-policy noeviction (samples/redis/redis.conf)"),
        };
    }
}
