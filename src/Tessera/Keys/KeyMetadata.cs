using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Keys;

/// <summary>
/// The metadata file beside each stored key (SPEC.md §5): <c>kid</c>, <c>alg</c>, and the times
/// it was created, activates (starts signing) and retires (leaves the JWKS; null until a successor
/// is scheduled).
/// </summary>
public sealed record KeyMetadata(
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("activates")] DateTimeOffset Activates,
    [property: JsonPropertyName("retires")] DateTimeOffset? Retires)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a metadata file's text; throws <see cref="KeyException"/> when it is not one.</summary>
    public static KeyMetadata Parse(string json, string file)
    {
        try
        {
            KeyMetadata? meta = JsonSerializer.Deserialize<KeyMetadata>(json, Json);
            return meta is { Kid.Length: > 0, Alg.Length: > 0 }
                ? meta
                : throw new KeyException($"{file}: key metadata needs kid and alg");
        }
        catch (JsonException ex)
        {
            throw new KeyException($"{file}: key metadata is not valid ({ex.Message})", ex);
        }
    }

    /// <summary>The JSON text of this metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";
}
