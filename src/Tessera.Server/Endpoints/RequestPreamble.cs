// What every form-posting endpoint does first, in this order (docs/SPEC.md §6):
//   1. the per-address rate limit, before any other work and before anything is logged;
//   2. the body: application/x-www-form-urlencoded only (RFC 6749 §3.2, §4.4.2), within the size
//      limit (else 413), no parameter sent twice (RFC 6749 §3.2: "MUST NOT be included more than
//      once"; `resource` and its alias `audience` are the multi-valued exception of RFC 8707 §2);
//   3. client authentication (RFC 6749 §2.3), and a body `client_id`, when sent, naming the same
//      client that authenticated.
// Refusals answer with RFC 6749 §5.2 errors; why goes to the security log only, bounded by RefusalLog.
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.Server.Clients;

namespace Tessera.Server.Endpoints;

internal static class RequestPreamble
{
    private static readonly HashSet<string> MultiValued = new(["resource", "audience"], StringComparer.Ordinal);

    /// <summary>Steps 1–3 for <paramref name="endpoint"/>: the authenticated client and its form, or the refusal.</summary>
    public static async Task<Preamble> RunAsync(ServiceState state, HttpContext http, string endpoint, bool internalOnly)
    {
        IPAddress? address = state.Network.ClientAddress(http);
        string where = NetworkPolicy.Describe(address);
        if (state.Limits.ForAddress(where, http) is IResult limited)
        {
            // One summary per address whatever the endpoint: a flood is one story.
            await state.Refusals.WriteAsync("request_denied", where, null, ("reason", "rate limit per address"));
            return new(null, null, where, limited);
        }

        if (internalOnly && !state.Network.MayIssue(address))
        {
            await state.Refusals.WriteAsync("request_denied", where, null, ("endpoint", endpoint), ("reason", address is null ? "X-Forwarded-For is not an address list" : "address outside issuance.allowed_cidrs"));
            state.Metrics.Refused.Add(1, new KeyValuePair<string, object?>("code", "forbidden"));
            return new(null, null, where, OAuthError.Of("access_denied", "Token issuance is not allowed from this network", StatusCodes.Status403Forbidden));
        }

        (IFormCollection? form, IResult? refusal, string? problem) = await ReadFormAsync(http);
        if (form is null)
        {
            await state.Refusals.WriteAsync("token_request_refused", where, null, ("endpoint", endpoint), ("error", "invalid_request"), ("reason", problem));
            state.Metrics.Refused.Add(1, new KeyValuePair<string, object?>("code", "invalid_request"));
            return new(null, null, where, refusal);
        }

        (Client? client, string? clientId, string? failure) = state.Clients.Authenticate(http.Request, form);
        if (client is null)
        {
            await state.Refusals.WriteAsync("client_auth_failed", where, Printable(clientId), ("endpoint", endpoint), ("reason", failure));
            state.Metrics.Refused.Add(1, new KeyValuePair<string, object?>("code", "invalid_client"));
            return new(null, null, where, OAuthError.InvalidClient(http));
        }

        if (form["client_id"].FirstOrDefault() is string named && named != client.Id)
        {
            await state.Refusals.WriteAsync("token_request_refused", where, client.Id, ("endpoint", endpoint), ("error", "invalid_request"), ("reason", "body client_id differs from the authenticated client"));
            return new(null, null, where, OAuthError.Of("invalid_request", "client_id does not match the authenticated client"));
        }

        return new(client, form, where, null);
    }

    /// <summary>A client-supplied string as it may reach the log: bounded, no control characters.</summary>
    public static string? Printable(string? value) =>
        value is null ? null : new string([.. value.Take(128).Where(c => !char.IsControl(c))]);

    private static async Task<(IFormCollection? Form, IResult? Refusal, string? Problem)> ReadFormAsync(HttpContext http)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out MediaTypeHeaderValue? type)
            || !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthError.Of("invalid_request", "The request must be a form post (application/x-www-form-urlencoded)"), "not application/x-www-form-urlencoded");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, OAuthError.Of("invalid_request", "The request body is too large", StatusCodes.Status413PayloadTooLarge), "body over the size limit");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, OAuthError.Of("invalid_request", "The request body is not a readable form"), "unreadable form");
        }

        string? repeated = form.Keys.FirstOrDefault(k => form[k].Count > 1 && !MultiValued.Contains(k));
        return repeated is null
            ? (form, null, null)
            : (null, OAuthError.Of("invalid_request", "A parameter was sent more than once"), "parameter sent twice: " + Printable(repeated));
    }
}

/// <summary>The authenticated client and its form, or the refusal to answer with.</summary>
internal sealed record Preamble(Client? Client, IFormCollection? Form, string Address, IResult? Refusal);
