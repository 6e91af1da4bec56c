using Tessera.Revocation.Sqlite;

namespace Tessera.Revocation.Redis;

/// <summary>How a <see cref="RedisRevocationStore"/> follows Redis (docs/operations.md, "Revocation at scale").</summary>
public sealed class RedisRevocationOptions
{
    /// <summary><c>revocation.max_staleness</c>: how old the local copy may get before answers are stale (default 5 s).</summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the copy is synced (default <see cref="MaxStaleness"/> / 5, at least 50 ms).</summary>
    public TimeSpan? SyncInterval { get; init; }

    /// <summary>The prefix of every key and channel (default <c>tessera:revocation:</c>), so several issuers' lists can share one Redis.</summary>
    public string KeyPrefix { get; init; } = "tessera:revocation:";

    /// <summary>
    /// An issuer's durable journal: every revocation written or seen is kept there too, and when
    /// Redis loses its data (a restart without persistence, <c>FLUSHALL</c>) the unexpired ones
    /// are written back. Validators have none. The store disposes it with itself.
    /// </summary>
    public SqliteRevocationStore? Journal { get; init; }

    /// <summary>
    /// True for one-shot commands (<c>tessera revoke</c>, <c>tessera verify</c>): opening fails
    /// when Redis cannot be reached or read. False for services: they start stale and recover
    /// when Redis answers.
    /// </summary>
    public bool RequireConnection { get; init; }

    /// <summary>
    /// For a command that only writes (<c>tessera revoke</c>): the list is never read, so its
    /// lookups answer from what this process wrote alone and are always stale.
    /// </summary>
    public bool WriteOnly { get; init; }

    /// <summary>
    /// Called (on the sync thread) for each entry this node learns from the log that another
    /// writer made, for the security log; not for what a full re-read finds at start or after
    /// Redis lost its data. Must not throw or block.
    /// </summary>
    public Action<RevocationEntry>? Learned { get; init; }

    internal TimeSpan Interval => SyncInterval ?? TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, MaxStaleness.Ticks / 5));
}
