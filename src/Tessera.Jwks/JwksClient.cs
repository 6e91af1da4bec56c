// docs/SPEC.md §9: the key set of one issuer, fetched over HTTPS and kept in memory.
// - Fresh for the answer's Cache-Control max-age (clamped); after it, the next lookup starts one
//   background refresh (with If-None-Match) and keeps answering with what it has.
// - A token whose kid is unknown may cause one synchronous refetch: concurrent callers share
//   the fetch in flight, and at most one such fetch starts per UnknownKeyInterval, so a flood of
//   forged kids costs at most one request to the issuer.
// - When the issuer cannot be reached the last good set keeps serving, Health says Stale, until
//   StaleLimit after the last success; then Keys is null and validators cannot decide (503).
using System.Diagnostics.Metrics;
using System.Text.Json;
using Tessera.Keys;

namespace Tessera.Jwks;

/// <summary>A cached, self-refreshing JWK Set of one issuer.</summary>
/// <example><code>
/// using var jwks = new JwksClient(new JwksClientOptions { JwksUri = new("https://auth.internal/.well-known/jwks.json") });
/// var validator = new EdgeValidator(options, jwks);
/// </code></example>
public sealed class JwksClient : IDisposable
{
    /// <summary>The name of the meter with this client's instruments.</summary>
    public const string MeterName = "Tessera.Jwks";

    private readonly JwksClientOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private readonly Meter _meter;
    private readonly Counter<long> _fetches;
    private Snapshot? _snapshot;
    private Task<bool>? _inFlight;
    private DateTimeOffset _lastUnknownKeyFetch = DateTimeOffset.MinValue;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private bool _lastFailed;
    private long _fetchCount;
    private long _failureCount;

    /// <summary>Creates the client; nothing is fetched until the first lookup (or <see cref="RefreshAsync"/>).</summary>
    public JwksClient(JwksClientOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        HttpsGet.RequireHttps(options.JwksUri);
        _options = options;
        _time = time ?? TimeProvider.System;
        _http = HttpsGet.CreateClient(options.TrustedRoot);
        // One meter per client, tagged with its URL: a service may follow several issuers.
        _meter = new Meter(new MeterOptions(MeterName) { Tags = [new("jwks_uri", HttpsGet.Display(options.JwksUri))] });
        _fetches = _meter.CreateCounter<long>("tessera.jwks.fetches", description: "JWKS fetches by result (ok, not_modified, error)");
        _meter.CreateObservableGauge("tessera.jwks.stale", () => Health == JwksHealth.Fresh ? 0 : 1, description: "1 while the key set is stale or unavailable");
        _meter.CreateObservableGauge("tessera.jwks.age", () => Age?.TotalSeconds ?? -1, unit: "s", description: "Seconds since the last successful fetch (-1: none yet)");
        _meter.CreateObservableGauge("tessera.jwks.keys", () => Volatile.Read(ref _snapshot)?.Keys.Keys.Count ?? 0, description: "Keys in the current set");
    }

    /// <summary>The URL fetched.</summary>
    public Uri JwksUri => _options.JwksUri;

    /// <summary>The usable key set, or null when there is none (never fetched, or past the stale limit).</summary>
    public KeySet? Keys => Usable(_time.GetUtcNow());

    /// <summary>Fresh, Stale or Unavailable (see <see cref="JwksHealth"/>).</summary>
    public JwksHealth Health
    {
        get
        {
            if (Keys is null)
            {
                return JwksHealth.Unavailable;
            }

            lock (_lock)
            {
                return _lastFailed ? JwksHealth.Stale : JwksHealth.Fresh;
            }
        }
    }

    /// <summary>Time since the last successful fetch; null before the first.</summary>
    public TimeSpan? Age => Volatile.Read(ref _snapshot) is { } s ? _time.GetUtcNow() - s.FetchedAt : null;

    /// <summary>Requests sent to the issuer (304s included).</summary>
    public long FetchCount => Interlocked.Read(ref _fetchCount);

    /// <summary>Fetches that failed (network, TLS, HTTP status, unusable key set).</summary>
    public long FailureCount => Interlocked.Read(ref _failureCount);

    /// <summary>Why the last fetch failed (one line, no body), or null after a success.</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// The key set to validate with. The first call waits for the first fetch; later calls answer
    /// at once and start a background refresh when the set is past its max-age.
    /// </summary>
    public async ValueTask<KeySet?> GetKeysAsync(CancellationToken cancel = default)
    {
        DateTimeOffset now = _time.GetUtcNow();
        Snapshot? current = Volatile.Read(ref _snapshot);
        if (current is null)
        {
            Task<bool>? first = StartFetch(now, unknownKey: false);
            if (first is not null)
            {
                await first.WaitAsync(cancel).ConfigureAwait(false);
            }
        }
        else if (now >= current.FreshUntil)
        {
            _ = StartFetch(now, unknownKey: false);
        }

        return Usable(_time.GetUtcNow());
    }

    /// <summary>
    /// Called when a token names a kid the set does not have: waits for the fetch in flight, or
    /// starts one unless one was started for an unknown kid within the interval. True when the
    /// key set changed.
    /// </summary>
    public async ValueTask<bool> RefreshForUnknownKeyAsync(CancellationToken cancel = default)
    {
        Task<bool>? fetch = StartFetch(_time.GetUtcNow(), unknownKey: true);
        return fetch is not null && await fetch.WaitAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>Fetches now (sharing a fetch in flight); true when the key set changed.</summary>
    public Task<bool> RefreshAsync(CancellationToken cancel = default)
    {
        Task<bool> fetch;
        lock (_lock)
        {
            fetch = _inFlight ??= FetchAndApplyAsync();
        }

        return fetch.WaitAsync(cancel);
    }

    /// <summary>
    /// One fetch of <paramref name="jwksUri"/> with the same rules (https, same-origin redirects,
    /// 1 MiB, 10 s): the body as text. Throws <see cref="JwksException"/> with a one-line reason.
    /// </summary>
    public static async Task<string> DownloadAsync(Uri jwksUri, System.Security.Cryptography.X509Certificates.X509Certificate2? trustedRoot, CancellationToken cancel = default)
    {
        using HttpClient http = HttpsGet.CreateClient(trustedRoot);
        HttpsAnswer answer = await HttpsGet.GetAsync(http, jwksUri, null, TimeSpan.FromSeconds(10), cancel).ConfigureAwait(false);
        return answer.Body!;
    }

    /// <summary>Stops background work and releases the connections.</summary>
    public void Dispose()
    {
        _disposed.Cancel();
        _http.Dispose();
        _meter.Dispose();
        _disposed.Dispose();
    }

    private KeySet? Usable(DateTimeOffset now) =>
        Volatile.Read(ref _snapshot) is { } s && now - s.FetchedAt <= _options.StaleLimit ? s.Keys : null;

    // Starts a fetch or joins the one in flight; null when none may start now (after a failure,
    // within RetryAfterFailure; for an unknown kid, within UnknownKeyInterval of the last one).
    private Task<bool>? StartFetch(DateTimeOffset now, bool unknownKey)
    {
        lock (_lock)
        {
            if (_inFlight is not null)
            {
                return _inFlight;
            }

            if (unknownKey)
            {
                if (now - _lastUnknownKeyFetch < _options.UnknownKeyInterval)
                {
                    return null;
                }

                _lastUnknownKeyFetch = now;
            }
            else if (now < _nextAttempt)
            {
                return null;
            }

            return _inFlight = FetchAndApplyAsync();
        }
    }

    private async Task<bool> FetchAndApplyAsync()
    {
        await Task.Yield(); // never run the fetch inside the caller's lock
        Snapshot? before = Volatile.Read(ref _snapshot);
        try
        {
            Interlocked.Increment(ref _fetchCount);
            HttpsAnswer answer = await HttpsGet.GetAsync(_http, _options.JwksUri, before?.ETag, _options.FetchTimeout, _disposed.Token).ConfigureAwait(false);
            DateTimeOffset now = _time.GetUtcNow();
            TimeSpan maxAge = Clamp(answer.MaxAge ?? _options.DefaultMaxAge);
            bool changed;
            if (answer.NotModified && before is not null)
            {
                Volatile.Write(ref _snapshot, before with { FetchedAt = now, FreshUntil = now + maxAge, ETag = answer.ETag });
                changed = false;
                _fetches.Add(1, new KeyValuePair<string, object?>("result", "not_modified"));
            }
            else
            {
                KeySet keys = Read(answer.Body ?? "");
                changed = before is null || before.Keys.ToJwks() != keys.ToJwks();
                Volatile.Write(ref _snapshot, new Snapshot(keys, answer.ETag, now, now + maxAge));
                _fetches.Add(1, new KeyValuePair<string, object?>("result", "ok"));
            }

            lock (_lock)
            {
                _lastFailed = false;
                _nextAttempt = DateTimeOffset.MinValue;
                LastError = null;
            }

            return changed;
        }
        catch (Exception ex) when (ex is JwksException or KeyException or JsonException || (ex is OperationCanceledException && !_disposed.IsCancellationRequested))
        {
            Interlocked.Increment(ref _failureCount);
            _fetches.Add(1, new KeyValuePair<string, object?>("result", "error"));
            lock (_lock)
            {
                _lastFailed = true;
                _nextAttempt = _time.GetUtcNow() + _options.RetryAfterFailure;
                LastError = ex.Message;
            }

            return false;
        }
        finally
        {
            lock (_lock)
            {
                _inFlight = null;
            }
        }
    }

    // A resource server's key set is public keys only: an HMAC secret published in a JWKS is a
    // secret anyone can read, so a set holding one is refused whole, as is a set with no usable key.
    private KeySet Read(string json)
    {
        KeySet keys = KeySet.FromJwks(json, _options.FallbackAlgorithm);
        if (keys.Keys.Any(k => k.Algorithm.IsSymmetric))
        {
            throw new JwksException($"{HttpsGet.Display(_options.JwksUri)}: the key set holds an HMAC (kty oct) key; only public keys are accepted");
        }

        return keys.Keys.Count > 0 ? keys : throw new JwksException($"{HttpsGet.Display(_options.JwksUri)}: the key set has no usable key");
    }

    private TimeSpan Clamp(TimeSpan maxAge) =>
        maxAge < _options.MinMaxAge ? _options.MinMaxAge : maxAge > _options.MaxMaxAge ? _options.MaxMaxAge : maxAge;

    private sealed record Snapshot(KeySet Keys, string? ETag, DateTimeOffset FetchedAt, DateTimeOffset FreshUntil);
}
