// The registered clients of auth.json (docs/SPEC.md §4 `clients`), with the public keys of those
// that use private_key_jwt, read from a file or fetched over HTTPS once at start-up.
using Tessera.Keys;
using Tessera.Server.Configuration;

namespace Tessera.Server.Clients;

internal static class ClientRegistry
{
    public static async Task<List<Client>> LoadAsync(TesseraConfig config, CancellationToken cancel)
    {
        var clients = new List<Client>();
        for (int i = 0; i < config.Clients.Count; i++)
        {
            ClientConfig c = config.Clients[i];
            KeySet? keys = c.Jwks is null ? null : await ClientKeys.LoadAsync(c.Jwks, $"clients[{i}].jwks", cancel);

            clients.Add(new Client(c, c.Scopes, c.Audiences.Count > 0 ? c.Audiences : config.Audiences, keys));
        }

        return clients;
    }
}
