// Refusals reach the security log (docs/SPEC.md §8) without letting a flood write a line per
// request: the first few identical refusals in a minute (same event, address, client and reason)
// are written as they happen; further ones in that minute are counted, and the count is written
// once, as "repeated": N on the next line of that kind. 3,000 unauthenticated requests a second
// from one address then cost a handful of lines a minute instead of 3,000 a second.
namespace Tessera.Server.Endpoints;

internal sealed class RefusalLog(SecurityLog log, TimeProvider time)
{
    /// <summary>How many identical refusals a minute are written one by one.</summary>
    public const int WrittenPerWindow = 10;

    private const int MaxKeys = 10_000;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Counter> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ValueTask WriteAsync(string name, string address, string? clientId, params (string Key, object? Value)[] fields)
    {
        string key = string.Join('\n', [name, address, clientId, .. fields.Select(f => f.Value?.ToString())]);
        DateTimeOffset now = time.GetUtcNow();
        long repeated;
        lock (_gate)
        {
            if (_seen.Count >= MaxKeys)
            {
                _seen.Clear();
            }

            if (!_seen.TryGetValue(key, out Counter? counter))
            {
                _seen[key] = counter = new Counter(now);
            }

            if (now - counter.Since >= Window)
            {
                // A new minute: write this one with what the last minute held back.
                repeated = counter.Suppressed;
                counter.Since = now;
                counter.Written = 0;
                counter.Suppressed = 0;
            }
            else
            {
                repeated = 0;
            }

            if (counter.Written >= WrittenPerWindow)
            {
                counter.Suppressed++;
                return ValueTask.CompletedTask;
            }

            counter.Written++;
        }

        return log.WriteAsync(name, [("client_id", clientId), ("address", address), .. fields, ("repeated", repeated > 0 ? repeated : null)]);
    }

    private sealed class Counter(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; set; } = since;

        public int Written { get; set; }

        public long Suppressed { get; set; }
    }
}
