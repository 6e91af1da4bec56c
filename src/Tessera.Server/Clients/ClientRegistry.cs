// The registered clients of auth.json (docs/SPEC.md §4 `clients`), with the public keys of those
// that use private_key_jwt, read from a file or fetched over HTTPS once at start-up.
using Tessera.Keys;
using Tessera.Server.Configuration;

namespace Tessera.Server.Clients;

internal static class ClientRegistry
{
    private const int MaxJwksBytes = 1 << 20;

    public static async Task<List<Client>> LoadAsync(TesseraConfig config, CancellationToken cancel)
    {
        var clients = new List<Client>();
        foreach (ClientConfig c in config.Clients)
        {
            KeySet? keys = null;
            if (c.Jwks is not null)
            {
                string json = c.Jwks.StartsWith("https://", StringComparison.Ordinal)
                    ? await FetchAsync(new Uri(c.Jwks), cancel)
                    : await File.ReadAllTextAsync(c.Jwks, cancel);
                keys = KeySet.FromJwks(json);
            }

            clients.Add(new Client(c, c.Scopes, c.Audiences.Count > 0 ? c.Audiences : config.Audiences, keys));
        }

        return clients;
    }

    private static async Task<string> FetchAsync(Uri url, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = MaxJwksBytes };
        return await http.GetStringAsync(url, cancel);
    }
}
