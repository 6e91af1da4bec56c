// What every form-posting endpoint does first (RFC 6749 §3.2, §2.3): read the body as a form,
// authenticate the client, and keep what clients send out of the log unless bounded and printable.
// Failures answer with RFC 6749 §5.2 errors; why a client failed goes to the security log only.
using System.Net;
using Microsoft.AspNetCore.Http;
using Tessera.Server.Clients;

namespace Tessera.Server.Endpoints;

internal static class RequestPreamble
{
    /// <summary>The form, or null when the body is not a readable form post.</summary>
    public static async Task<IFormCollection?> ReadFormAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await http.Request.ReadFormAsync();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// The preamble of /revoke and /introspect: a form post, an authenticated client and a
    /// <c>token</c> parameter; or the refusal to send.
    /// </summary>
    public static async Task<TokenPost> TokenPostAsync(ServiceState state, HttpContext http, string endpoint)
    {
        IPAddress address = state.Network.ClientAddress(http);
        IFormCollection? form = await ReadFormAsync(http);
        if (form is null)
        {
            return new TokenPost(null, null, address, OAuthError.Of("invalid_request", "The request must be a form post"));
        }

        (Client? client, string? clientId, string? failure) = state.Clients.Authenticate(http.Request, form);
        if (client is null)
        {
            await state.Log.WriteAsync("client_auth_failed", ("endpoint", endpoint), ("client_id", Printable(clientId)), ("address", address.ToString()), ("reason", failure));
            return new TokenPost(null, null, address, OAuthError.InvalidClient(http));
        }

        string? token = form["token"].FirstOrDefault();
        return string.IsNullOrEmpty(token)
            ? new TokenPost(client, null, address, OAuthError.Of("invalid_request", "token is required"))
            : new TokenPost(client, token, address, null);
    }

    /// <summary>A client-supplied string as it may reach the log: bounded, no control characters.</summary>
    public static string? Printable(string? value) =>
        value is null ? null : new string([.. value.Take(128).Where(c => !char.IsControl(c))]);
}

/// <summary>An authenticated token post, or the refusal to answer with.</summary>
internal sealed record TokenPost(Client? Client, string? Token, IPAddress Address, IResult? Refusal);
