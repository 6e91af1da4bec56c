// The local copy of a deny list that step 7 reads (docs/SPEC.md §7): an exact set of revoked
// jtis, each with the time it drops off, plus the latest cutoff per subject, per client and for
// the whole issuer. Whatever store feeds it (Redis, SQLite) applies entries and says when it last
// read the store completely; the mirror answers Stale once that is older than max_staleness.
// Reads are lock-free and allocate nothing; writes are serialised. The jti set never holds an
// expired entry past the next Purge (a min-heap by expiry makes Purge cost only what it drops),
// and entries already expired are not added at all. Cutoffs are kept (one per subject or client,
// only ever moved later): they are few, and a store may still hold tokens they refuse.
using System.Collections.Concurrent;

namespace Tessera.Revocation;

/// <summary>An exact in-memory deny list with cutoffs and a staleness bound.</summary>
/// <example><code>
/// var mirror = new RevocationMirror(TimeProvider.System, TimeSpan.FromSeconds(5));
/// mirror.Apply(RevocationEntry.ForJti(jti, exp + 30));
/// mirror.MarkSynced();
/// var validator = new TokenValidator(options, keys, TimeProvider.System, mirror);
/// </code></example>
public sealed class RevocationMirror : IRevocationList
{
    private const long NoCutoff = long.MinValue;

    private readonly TimeProvider _time;
    private readonly long _maxStaleTicks;
    private readonly ConcurrentDictionary<string, long> _jtis = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _subjects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _clients = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _expiries = new();
    private readonly Lock _write = new();
    private long _issuerCutoff = NoCutoff;
    private int _cutoffs;
    private int _count;
    private long _lastSyncTicks;

    /// <summary>
    /// A mirror that answers <see cref="RevocationStatus.Stale"/> when its last sync is older than
    /// <paramref name="maxStaleness"/> (<see cref="Timeout.InfiniteTimeSpan"/>: never stale, for a
    /// store that is its own source of truth). It is stale until the first <see cref="MarkSynced()"/>.
    /// </summary>
    public RevocationMirror(TimeProvider time, TimeSpan maxStaleness)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (maxStaleness <= TimeSpan.Zero && maxStaleness != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(maxStaleness), "must be positive (or infinite)");
        }

        _time = time;
        MaxStaleness = maxStaleness;
        _maxStaleTicks = maxStaleness == Timeout.InfiniteTimeSpan ? long.MaxValue : maxStaleness.Ticks;
    }

    /// <summary>How old the last sync may be before answers are <see cref="RevocationStatus.Stale"/>.</summary>
    public TimeSpan MaxStaleness { get; }

    /// <summary>How many revoked <c>jti</c>s are held (expired ones only until the next <see cref="Purge()"/>).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many cutoffs are held (the issuer-wide one counts as one).</summary>
    public int CutoffCount => Volatile.Read(ref _cutoffs);

    /// <summary>When the feeding store was last read completely; null before the first sync.</summary>
    public DateTimeOffset? LastSync
    {
        get
        {
            long ticks = Volatile.Read(ref _lastSyncTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>True when the last sync is older than <see cref="MaxStaleness"/> (or there was none).</summary>
    public bool IsStale => StaleAt(_time.GetUtcNow().UtcTicks);

    /// <summary>Records that the feeding store was read completely just now.</summary>
    public void MarkSynced() => MarkSynced(_time.GetUtcNow());

    /// <summary>Records that the feeding store was read completely at <paramref name="at"/> (never moves back).</summary>
    public void MarkSynced(DateTimeOffset at)
    {
        long ticks = at.UtcTicks;
        long seen = Volatile.Read(ref _lastSyncTicks);
        while (ticks > seen)
        {
            long was = Interlocked.CompareExchange(ref _lastSyncTicks, ticks, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    /// <summary>
    /// Adds one entry. A <c>jti</c> already past its time is not kept; a later time extends an
    /// entry, an earlier one changes nothing; a cutoff only moves later. True when something changed.
    /// </summary>
    public bool Apply(RevocationEntry entry)
    {
        if (entry.Id is null && entry.Scope is null)
        {
            throw new ArgumentException("an entry made with default", nameof(entry));
        }

        lock (_write)
        {
            return entry.Scope switch
            {
                null => AddJti(entry.Id!, entry.Time),
                CutoffScope.Issuer => RaiseIssuer(entry.Time),
                CutoffScope.Subject => Raise(_subjects, entry.Id!, entry.Time),
                _ => Raise(_clients, entry.Id!, entry.Time),
            };
        }
    }

    /// <summary>Drops every <c>jti</c> whose time has passed; returns how many.</summary>
    public int Purge()
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        int dropped = 0;
        lock (_write)
        {
            while (_expiries.TryPeek(out string? jti, out long until) && until <= now)
            {
                _expiries.Dequeue();
                if (_jtis.TryGetValue(jti, out long held) && held == until && _jtis.TryRemove(jti, out _))
                {
                    _count--;
                    dropped++;
                }
            }
        }

        return dropped;
    }

    /// <summary>Every entry held (unexpired <c>jti</c>s and cutoffs), for re-seeding a store.</summary>
    public IReadOnlyList<RevocationEntry> Snapshot()
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        var list = new List<RevocationEntry>();
        lock (_write)
        {
            list.AddRange(_jtis.Where(e => e.Value > now).Select(e => RevocationEntry.ForJti(e.Key, e.Value)));
            if (_issuerCutoff != NoCutoff)
            {
                list.Add(RevocationEntry.ForCutoff(CutoffScope.Issuer, null, _issuerCutoff));
            }

            list.AddRange(_subjects.Select(e => RevocationEntry.ForCutoff(CutoffScope.Subject, e.Key, e.Value)));
            list.AddRange(_clients.Select(e => RevocationEntry.ForCutoff(CutoffScope.Client, e.Key, e.Value)));
        }

        return list;
    }

    /// <inheritdoc/>
    public bool IsRevoked(string jti) =>
        jti is not null && _jtis.TryGetValue(jti, out long until) && until > _time.GetUtcNow().ToUnixTimeSeconds();

    /// <inheritdoc/>
    public RevocationStatus Check(string? jti, string? subject, string? clientId, long? issuedAt)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (jti is not null && _jtis.TryGetValue(jti, out long until) && until > now.ToUnixTimeSeconds())
        {
            return RevocationStatus.Revoked;
        }

        if (Volatile.Read(ref _cutoffs) > 0 && IsCutOff(subject, clientId, issuedAt))
        {
            return RevocationStatus.Revoked;
        }

        return StaleAt(now.UtcTicks) ? RevocationStatus.Stale : RevocationStatus.NotRevoked;
    }

    // "Before" is strict: a token whose iat equals the cutoff is accepted (a cutoff written at
    // time T does not refuse a token issued in that same second after it). A token without iat
    // cannot show it came after, so any cutoff that applies to it refuses it.
    private bool IsCutOff(string? subject, string? clientId, long? issuedAt)
    {
        long cutoff = Volatile.Read(ref _issuerCutoff);
        if (subject is not null && _subjects.TryGetValue(subject, out long bySubject) && bySubject > cutoff)
        {
            cutoff = bySubject;
        }

        if (clientId is not null && _clients.TryGetValue(clientId, out long byClient) && byClient > cutoff)
        {
            cutoff = byClient;
        }

        return cutoff != NoCutoff && (issuedAt is not long iat || iat < cutoff);
    }

    private bool StaleAt(long nowTicks)
    {
        long last = Volatile.Read(ref _lastSyncTicks);
        return last == 0 || (_maxStaleTicks != long.MaxValue && nowTicks - last > _maxStaleTicks);
    }

    private bool AddJti(string jti, long until)
    {
        if (until <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        bool known = _jtis.TryGetValue(jti, out long held);
        if (known && held >= until)
        {
            return false;
        }

        _jtis[jti] = until;
        _expiries.Enqueue(jti, until);
        if (!known)
        {
            _count++;
        }

        return true;
    }

    private bool RaiseIssuer(long before)
    {
        if (before <= _issuerCutoff)
        {
            return false;
        }

        if (_issuerCutoff == NoCutoff)
        {
            _cutoffs++;
        }

        Volatile.Write(ref _issuerCutoff, before);
        return true;
    }

    private bool Raise(ConcurrentDictionary<string, long> cutoffs, string id, long before)
    {
        bool known = cutoffs.TryGetValue(id, out long held);
        if (known && held >= before)
        {
            return false;
        }

        cutoffs[id] = before;
        if (!known)
        {
            _cutoffs++;
        }

        return true;
    }
}
