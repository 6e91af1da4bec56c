using System.Diagnostics.Metrics;
using Tessera.Revocation;
using Tessera.Revocation.Redis;
using Tessera.Revocation.Sqlite;

namespace Tessera.Server;

/// <summary>Service metrics (System.Diagnostics.Metrics), scraped at /metrics in Prometheus text form.</summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Tessera.Server";

    private readonly Meter _meter = new(MeterName);

    public ServerMetrics()
    {
        Issued = _meter.CreateCounter<long>("tessera_tokens_issued", description: "Access tokens issued");
        Refused = _meter.CreateCounter<long>("tessera_requests_refused", description: "Requests refused, by error code");
        Revoked = _meter.CreateCounter<long>("tessera_tokens_revoked", description: "Tokens revoked");
        Latency = _meter.CreateHistogram<double>("tessera_token_latency", unit: "ms", description: "Time to answer a token request");
        StaleRefused = _meter.CreateCounter<long>("tessera_revocation_stale_refusals", description: "Tokens refused because the revocation list was stale (on_stale: refuse)");
        StaleAccepted = _meter.CreateCounter<long>("tessera_revocation_stale_acceptances", description: "Tokens accepted although the revocation list was stale (on_stale: accept)");
    }

    public Counter<long> StaleRefused { get; }

    public Counter<long> StaleAccepted { get; }

    /// <summary>Observes the revocation store: mirror size, age of the last successful sync, sync rounds.</summary>
    public void Watch(IRevocationStore store, TimeProvider time)
    {
        if (store is RedisRevocationStore redis)
        {
            _meter.CreateObservableGauge("tessera_revocation_mirror_size", () => redis.Mirror.Count, description: "Revoked jtis held by the local copy");
            _meter.CreateObservableGauge("tessera_revocation_cutoffs", () => redis.Mirror.CutoffCount, description: "Cutoffs held by the local copy");
            _meter.CreateObservableGauge("tessera_revocation_sync_age", () => redis.Mirror.LastSync is DateTimeOffset last ? (time.GetUtcNow() - last).TotalSeconds : double.PositiveInfinity, unit: "s", description: "Age of the last successful sync with the revocation store");
            _meter.CreateObservableCounter("tessera_revocation_syncs", () => redis.Syncs, description: "Successful syncs with the revocation store");
            _meter.CreateObservableCounter("tessera_revocation_sync_failures", () => redis.SyncFailures, description: "Failed syncs with the revocation store");
        }
        else if (store is SqliteRevocationStore sqlite)
        {
            _meter.CreateObservableGauge("tessera_revocation_mirror_size", () => sqlite.Count, description: "Revoked jtis held by the local copy");
        }
    }

    public Counter<long> Issued { get; }

    public Counter<long> Refused { get; }

    public Counter<long> Revoked { get; }

    public Histogram<double> Latency { get; }

    public void Dispose() => _meter.Dispose();
}
