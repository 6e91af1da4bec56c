using System.Diagnostics.Metrics;

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
    }

    public Counter<long> Issued { get; }

    public Counter<long> Refused { get; }

    public Counter<long> Revoked { get; }

    public Histogram<double> Latency { get; }

    public void Dispose() => _meter.Dispose();
}
