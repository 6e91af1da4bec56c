// SPEC.md §2: a bounded memory of fully verified tokens, keyed by the exact token string, so a
// repeat skips steps 1–4 (parse and signature) but never steps 5–7. Entries are only added for
// tokens that passed every step, are dropped when found expired, swept when the cache fills,
// and forgotten when their key leaves the key set (checked on every hit).
using System.Collections.Concurrent;

namespace Tessera.Validation;

internal sealed class VerifiedTokenCache
{
    private readonly ConcurrentDictionary<string, TokenClaims> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenClaims>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private int _count;

    public VerifiedTokenCache(int capacity)
    {
        _capacity = capacity;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(ReadOnlySpan<char> token, out TokenClaims claims) => _lookup.TryGetValue(token, out claims!);

    public void Add(ReadOnlySpan<char> token, string? tokenString, TokenClaims claims, long now)
    {
        if (Count >= _capacity)
        {
            Sweep(now);
            if (Count >= _capacity)
            {
                return;
            }
        }

        if (_entries.TryAdd(tokenString ?? token.ToString(), claims))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void Remove(ReadOnlySpan<char> token)
    {
        if (_lookup.TryRemove(token, out _, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Drops every entry that has expired or whose key is not kept by <paramref name="keep"/>.</summary>
    public void Sweep(long now, Func<TokenClaims, bool>? keep = null)
    {
        foreach (KeyValuePair<string, TokenClaims> entry in _entries)
        {
            bool expired = entry.Value.ExpiresAt is long exp && exp <= now;
            if ((expired || (keep is not null && !keep(entry.Value)))
                && _entries.TryRemove(entry.Key, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}
