namespace Tessera.Keys;

/// <summary>The changes one <c>rotate</c> makes: keys to create, metadata to rewrite, keys to remove.</summary>
public sealed class RotationPlan
{
    /// <summary>The keys to create.</summary>
    public List<PlannedKey> NewKeys { get; } = [];

    /// <summary>Metadata to rewrite (new activation or retirement times).</summary>
    public List<KeyMetadata> Update { get; } = [];

    /// <summary>Kids of retired keys whose files are removed.</summary>
    public List<string> Remove { get; } = [];

    /// <summary>What happened, for the operator and the security log.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>True when nothing needs to change.</summary>
    public bool IsEmpty => NewKeys.Count == 0 && Update.Count == 0 && Remove.Count == 0;
}

/// <summary>A key <c>rotate</c> will create: when it activates and, if known, when it retires.</summary>
public sealed record PlannedKey(DateTimeOffset Activates, DateTimeOffset? Retires);
