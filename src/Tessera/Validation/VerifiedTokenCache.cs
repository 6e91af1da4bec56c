// SPEC.md §2: a bounded memory of fully verified tokens, keyed by the exact token string, so a
// repeat skips steps 1–4 (parse and signature) but never steps 5–7. Entries are only added for
// tokens that passed every step, are dropped when found expired, swept when the cache fills,
// and forgotten when their key leaves the key set (checked on every hit).
//
// Lookups hash only the last TailLength characters of the token (its signature's end: for every
// entry, bytes an attacker cannot choose, since only fully verified tokens are added) with the
// runtime's randomised string hash, plus the length; equality is still the whole token, ordinal.
// A repeat then costs the same for a 200-character HS256 token and a 900-character RS256-4096
// one, instead of hashing every character.
using System.Collections.Concurrent;

namespace Tessera.Validation;

internal sealed class VerifiedTokenCache
{
    private readonly ConcurrentDictionary<string, TokenClaims> _entries = new(TailComparer.Instance);
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

/// <summary>Ordinal equality; the hash covers the length and the last <see cref="TailLength"/> characters.</summary>
internal sealed class TailComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    public const int TailLength = 32;

    public static readonly TailComparer Instance = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => Hash(obj.AsSpan());

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate) => Hash(alternate);

    public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();

    private static int Hash(ReadOnlySpan<char> token) =>
        HashCode.Combine(token.Length, string.GetHashCode(token.Length > TailLength ? token[^TailLength..] : token, StringComparison.Ordinal));
}
