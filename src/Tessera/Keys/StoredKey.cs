using Tessera.Algorithms;

namespace Tessera.Keys;

/// <summary>A key from a <see cref="KeyDirectory"/> with its metadata.</summary>
public sealed record StoredKey(JwsKey Key, KeyMetadata Metadata);
