// RFC 7517 §5: a JWK Set. Loading is strict about the set as a whole: duplicate "kid"s and sets
// mixing HMAC secrets with public keys are refused (ATTACKS.md D15), as are weak or inconsistent
// signing keys. Keys meant for other uses are skipped and counted (SPEC §1).
using System.Collections.Frozen;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Jose;

namespace Tessera.Keys;

/// <summary>An immutable set of verification keys, looked up by <c>kid</c>.</summary>
/// <example><code>
/// KeySet keys = KeySet.FromJwks(File.ReadAllText("jwks.json"));
/// </code></example>
public sealed class KeySet
{
    /// <summary>Largest key set accepted, in keys.</summary>
    public const int MaxKeys = 100;

    private readonly FrozenDictionary<string, JwsKey> _byKid;
    private readonly FrozenDictionary<string, JwsKey>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Builds a set; throws <see cref="KeyException"/> on duplicate kids or mixed symmetry.</summary>
    public KeySet(IEnumerable<JwsKey> keys, int skipped = 0)
    {
        ArgumentNullException.ThrowIfNull(keys);
        List<JwsKey> list = [.. keys];
        if (list.Count > MaxKeys)
        {
            throw new KeyException($"The key set holds {list.Count} keys; the maximum is {MaxKeys}");
        }

        var map = new Dictionary<string, JwsKey>(StringComparer.Ordinal);
        foreach (JwsKey key in list)
        {
            if (!map.TryAdd(key.KeyId, key))
            {
                throw new KeyException($"The key set has two keys with kid {key.KeyId}");
            }
        }

        if (list.Any(k => k.Algorithm.IsSymmetric) && list.Any(k => !k.Algorithm.IsSymmetric))
        {
            throw new KeyException("The key set mixes HMAC secrets with public keys; keep them in separate sets");
        }

        Keys = list;
        Skipped = skipped;
        _byKid = map.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = _byKid.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The keys, in the order given.</summary>
    public IReadOnlyList<JwsKey> Keys { get; }

    /// <summary>How many keys were skipped when reading (other uses, unsupported types).</summary>
    public int Skipped { get; }

    /// <summary>The algorithms of the keys, each once.</summary>
    public IReadOnlyList<JwsAlgorithm> Algorithms => [.. Keys.Select(k => k.Algorithm).Distinct()];

    /// <summary>
    /// Reads a JWK Set (<c>{"keys":[...]}</c>). Keys without <c>alg</c> whose type allows several
    /// algorithms (RSA, oct) are bound to <paramref name="fallback"/> when it fits, else skipped.
    /// </summary>
    public static KeySet FromJwks(string json, JwsAlgorithm? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > 1 << 20)
        {
            throw new KeyException("The JWK Set is over 1 MiB");
        }

        using JsonDocument doc = Jwk.Parse(json, "JWK Set");
        if (doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("keys", out JsonElement keys)
            || keys.ValueKind != JsonValueKind.Array)
        {
            throw new KeyException("A JWK Set is an object with a \"keys\" array");
        }

        var read = new List<JwsKey>();
        int skipped = 0;
        foreach (JsonElement jwk in keys.EnumerateArray())
        {
            JwsKey? key = Jwk.Read(jwk, fallback, allowPrivate: false);
            if (key is null)
            {
                skipped++;
            }
            else
            {
                read.Add(key);
            }
        }

        return new KeySet(read, skipped);
    }

    /// <summary>Finds a key by exact, case-sensitive kid.</summary>
    public bool TryFind(ReadOnlySpan<char> kid, out JwsKey key) => _lookup.TryGetValue(kid, out key!);

    /// <summary>True when this very key object is in the set.</summary>
    public bool Contains(JwsKey key) =>
        key is not null && _byKid.TryGetValue(key.KeyId, out JwsKey? found) && ReferenceEquals(found, key);

    /// <summary>The public JWK Set; HMAC secrets are never written.</summary>
    public string ToJwks()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Indented))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (JwsKey key in Keys.Where(k => !k.Algorithm.IsSymmetric))
            {
                Jwk.WriteTo(writer, key, includePrivate: false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
