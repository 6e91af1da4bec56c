// The public keys of a private_key_jwt client (docs/SPEC.md §6), from a file or an https URL.
// They must be asymmetric: an HMAC (kty "oct") "public" key is a shared secret that is often
// published at a URL, and an assertion signed with it would authenticate anyone who read it.
using Tessera.Keys;
using Tessera.Server.Configuration;

namespace Tessera.Server.Clients;

/// <summary>Reads a client's JWK Set for <c>private_key_jwt</c>.</summary>
public static class ClientKeys
{
    private const int MaxBytes = 1 << 20;

    /// <summary>
    /// Reads the JWK Set at <paramref name="location"/> (a file, or an https URL); throws
    /// <see cref="ConfigException"/> naming <paramref name="key"/> when it cannot be read or holds
    /// anything but asymmetric public keys.
    /// </summary>
    public static async Task<KeySet> LoadAsync(string location, string key, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        KeySet keys;
        try
        {
            string json = location.StartsWith("https://", StringComparison.Ordinal)
                ? await FetchAsync(new Uri(location), cancel)
                : await File.ReadAllTextAsync(location, cancel);
            keys = KeySet.FromJwks(json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException or KeyException or UriFormatException)
        {
            throw new ConfigException($"{key}: cannot read the client's keys from {location}: {ex.Message}", ex);
        }

        if (keys.Keys.FirstOrDefault(k => k.Algorithm.IsSymmetric) is { } secret)
        {
            throw new ConfigException($"{key}: {location} holds an HMAC key ({secret.Algorithm.Name}); private_key_jwt keys must be asymmetric (EdDSA, ES*, PS*, RS*)");
        }

        return keys;
    }

    private static async Task<string> FetchAsync(Uri url, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = MaxBytes };
        return await http.GetStringAsync(url, cancel);
    }
}
