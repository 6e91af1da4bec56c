using System.Diagnostics.Metrics;

namespace Tessera.Server.Gate;

/// <summary>The gate's instruments (meter <c>Tessera.Gate</c>): decisions by result, requests in flight.</summary>
internal sealed class GateMetrics : IDisposable
{
    public const string MeterName = "Tessera.Gate";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _decisions;
    private int _inFlight;

    public GateMetrics()
    {
        _decisions = _meter.CreateCounter<long>("tessera.gate.decisions", description: "Answers by result: valid, missing, malformed, undecided, insufficient_scope, or the refusal code");
        _meter.CreateObservableGauge("tessera.gate.in_flight", () => Volatile.Read(ref _inFlight), description: "Requests being answered");
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Count(string result) => _decisions.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public void Dispose() => _meter.Dispose();
}
