using System.Text.Json;

namespace Tessera.Issuance;

/// <summary>What one access token says (RFC 9068 §2.2).</summary>
public sealed record TokenRequest
{
    /// <summary><c>sub</c>: the client or device the token is about.</summary>
    public required string Subject { get; init; }

    /// <summary><c>aud</c>: one or more resource servers.</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary><c>scope</c>, space-separated.</summary>
    public string? Scope { get; init; }

    /// <summary><c>client_id</c>; defaults to the subject.</summary>
    public string? ClientId { get; init; }

    /// <summary>Lifetime for this token; the options' default when null.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>Extra claims; registered names are refused.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Claims { get; init; }
}
