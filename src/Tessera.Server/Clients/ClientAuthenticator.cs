// Client authentication at the token, revocation and introspection endpoints:
// - client_secret_basic (RFC 6749 §2.3.1): HTTP Basic with form-urlencoded id and secret;
// - client_secret_post: client_id and client_secret in the body;
// - private_key_jwt (RFC 7523 §2.2, OIDC Core §9): the core's ClientAssertionValidator.
// Secrets are compared in constant time against salted hashes. Failures say nothing about why
// to the client (invalid_client); the reason goes to the security log.
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tessera.Revocation;
using Tessera.Validation;

namespace Tessera.Server.Clients;

internal sealed class ClientAuthenticator
{
    // A hash no secret matches, checked for unknown client ids so they cost the same time.
    private static readonly string TimingEqualiser = ClientSecret.Hash(ClientSecret.Generate().Secret);

    private readonly Dictionary<string, Client> _clients;
    private readonly ClientAssertionValidator _assertions;

    public ClientAuthenticator(IEnumerable<Client> clients, string issuer, IRevocationStore replay, TimeProvider time)
    {
        _clients = clients.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _assertions = new ClientAssertionValidator(
            issuer,
            _clients.Values.Where(c => c.Keys is not null).ToDictionary(c => c.Id, c => c.Keys!, StringComparer.Ordinal),
            replay,
            time);
    }
    /// <summary>Every scope some client may ask for (for discovery).</summary>
    public string[] AllScopes => [.. _clients.Values.SelectMany(c => c.Scopes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The authenticated client, or null with the reason (for the log only).</summary>
    public (Client? Client, string? ClientId, string? Failure) Authenticate(HttpRequest request, IFormCollection form)
    {
        string? basic = request.Headers.Authorization.FirstOrDefault(h => h?.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true);
        string? assertion = form["client_assertion"].FirstOrDefault();
        string? postedSecret = form["client_secret"].FirstOrDefault();
        int methods = (basic is null ? 0 : 1) + (assertion is null ? 0 : 1) + (postedSecret is null ? 0 : 1);
        if (methods > 1)
        {
            return (null, null, "more than one client authentication method");
        }

        if (basic is not null)
        {
            return Basic(basic);
        }

        if (assertion is not null)
        {
            return Assertion(form["client_assertion_type"].FirstOrDefault(), assertion, form["client_id"].FirstOrDefault());
        }

        string? id = form["client_id"].FirstOrDefault();
        return postedSecret is null ? (null, id, "no client authentication") : Secret(id, postedSecret);
    }

    private (Client?, string?, string?) Basic(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out AuthenticationHeaderValue? value) || value.Parameter is null)
        {
            return (null, null, "malformed Basic header");
        }

        // Basic uses standard padded base64 (RFC 7617), never whitespace.
        byte[] raw = new byte[value.Parameter.Length];
        if (value.Parameter.Length > 1024 || value.Parameter.Any(char.IsWhiteSpace)
            || !Convert.TryFromBase64String(value.Parameter, raw, out int written))
        {
            return (null, null, "malformed Basic header");
        }

        string decoded = Encoding.UTF8.GetString(raw, 0, written);

        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return (null, null, "malformed Basic header");
        }

        // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
        return Secret(Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')));
    }

    private (Client?, string?, string?) Secret(string? id, string secret)
    {
        if (id is null || !_clients.TryGetValue(id, out Client? client) || client.Config.SecretHash is null)
        {
            // Same work as a real check, so unknown ids are not told apart by time.
            _ = ClientSecret.Verify(secret, TimingEqualiser);
            return (null, id, "unknown client or no secret registered");
        }

        return ClientSecret.Verify(secret, client.Config.SecretHash) ? (client, id, null) : (null, id, "wrong secret");
    }

    private (Client?, string?, string?) Assertion(string? type, string assertion, string? claimedId)
    {
        if (type != ClientAssertionValidator.AssertionType)
        {
            return (null, claimedId, "client_assertion_type is not jwt-bearer");
        }

        ClientAssertionResult result;
        try
        {
            result = _assertions.Validate(assertion, claimedId);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The one-time rule needs the shared store (a Redis that is down): refuse, never
            // accept an assertion whose reuse could not be ruled out.
            return (null, claimedId, "one-time use cannot be checked: revocation store unavailable");
        }

        return result.IsValid ? (_clients[result.ClientId!], result.ClientId, null) : (null, result.ClientId, result.Failure);
    }
}
