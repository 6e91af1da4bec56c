using System.Collections.Concurrent;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Tests.Vectors;

/// <summary>
/// Imports the public key of a Wycheproof primitive test group once per run (a group holds up to
/// 257 vectors). The PEM (SPKI) form is the one used; when the group also gives a JWK, that is
/// imported too and must yield the same key (same RFC 7638 thumbprint), or be refused alike.
/// </summary>
internal static class PrimitiveKeys
{
    private static readonly ConcurrentDictionary<string, Lazy<Imported>> Cache = new(StringComparer.Ordinal);

    /// <summary>The group's key bound to <paramref name="algorithm"/>, or the KeyException message.</summary>
    public static Imported For(JsonElement group, JwsAlgorithm algorithm, string jwkMember = "publicKeyJwk")
    {
        string pem = VectorFile.Str(group, "publicKeyPem");
        string? jwk = group.TryGetProperty(jwkMember, out JsonElement j) ? j.GetRawText() : null;
        return Cache.GetOrAdd(algorithm.Name + "\n" + pem, _ => new Lazy<Imported>(() => Import(pem, jwk, algorithm))).Value;
    }

    private static Imported Import(string pem, string? jwk, JwsAlgorithm algorithm)
    {
        (JwsKey? fromPem, string? pemError) = Try(() => JwsKey.ImportPem(pem, algorithm));
        if (jwk is null)
        {
            return new Imported(fromPem, pemError, null);
        }

        (JwsKey? fromJwk, string? jwkError) = Try(() => JwsKey.ImportJwk(jwk, algorithm));
        string? disagreement = (fromPem, fromJwk) switch
        {
            (null, null) => null,
            ({ } a, { } b) when a.Thumbprint == b.Thumbprint && a.Algorithm == b.Algorithm => null,
            _ => $"PEM and JWK imports disagree: PEM {fromPem?.Thumbprint ?? pemError}, JWK {fromJwk?.Thumbprint ?? jwkError}",
        };
        fromJwk?.Dispose();
        return new Imported(fromPem, pemError, disagreement);
    }

    private static (JwsKey? Key, string? Error) Try(Func<JwsKey> import)
    {
        try
        {
            return (import(), null);
        }
        catch (KeyException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <param name="Key">The imported key, or null when refused.</param>
    /// <param name="Error">The KeyException message when refused.</param>
    /// <param name="Disagreement">Set when the PEM and JWK forms did not give the same outcome.</param>
    internal sealed record Imported(JwsKey? Key, string? Error, string? Disagreement);
}
