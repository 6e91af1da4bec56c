namespace Tessera.Server.Configuration;

/// <summary>A registered client (SPEC §4 <c>clients</c>): a secret hash or a JWK Set for private_key_jwt.</summary>
/// <param name="Id">The client_id.</param>
/// <param name="SecretHash">The salted hash of its secret, when it authenticates with one.</param>
/// <param name="Scopes">Scopes it may ask for.</param>
/// <param name="Audiences">Audiences it may ask for.</param>
/// <param name="Jwks">File or URL of its public keys, for private_key_jwt.</param>
public sealed record ClientConfig(string Id, string? SecretHash, IReadOnlyList<string> Scopes, IReadOnlyList<string> Audiences, string? Jwks);
