using Tessera.Server.Configuration;
using Tessera.Keys;

namespace Tessera.Server.Clients;

/// <summary>A registered client with what it may ask for, and its keys for private_key_jwt.</summary>
internal sealed record Client(ClientConfig Config, IReadOnlyList<string> Scopes, IReadOnlyList<string> Audiences, KeySet? Keys)
{
    public string Id => Config.Id;
}
