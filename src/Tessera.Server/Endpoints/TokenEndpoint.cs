// POST /token: the client_credentials grant (RFC 6749 §4.4) of docs/SPEC.md §6. In order: the
// caller's network (issuance.allowed_cidrs, else 403), the per-address limit, a form post, client
// authentication, the per-client limit, the grant, scopes and audiences within what the client
// may ask for, then one token signed by the active key. Every refusal is a security-log event.
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Tessera.Issuance;
using Tessera.Keys;
using Tessera.Server.Clients;

namespace Tessera.Server.Endpoints;

internal sealed class TokenEndpoint(ServiceState state)
{
    private const string Path = "/token";

    private readonly TokenIssuer _issuer = new(
        new IssuanceOptions { Issuer = state.Config.Issuer, Lifetime = state.Config.TokenTtl, Type = state.Config.TokenTyp, MaxTokenSize = state.Config.MaxTokenSize },
        state.Time);

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        long started = Stopwatch.GetTimestamp();
        (Client? client, IFormCollection? form, string address, IResult? refusal) = await RequestPreamble.RunAsync(state, http, Path, internalOnly: true);
        if (refusal is not null)
        {
            return refusal;
        }

        if (state.Limits.ForClient(client!.Id, http) is IResult limitedClient)
        {
            await state.Refusals.WriteAsync("request_denied", address, client.Id, ("endpoint", Path), ("reason", "rate limit per client"));
            return limitedClient;
        }

        string? grant = form!["grant_type"].FirstOrDefault();
        if (grant != "client_credentials")
        {
            return grant is null
                ? await RefuseAsync("invalid_request", "grant_type is required", client.Id, address)
                : await RefuseAsync("unsupported_grant_type", "Only client_credentials is supported", client.Id, address);
        }

        string[] scopes = (form["scope"].FirstOrDefault() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0)
        {
            scopes = [.. client.Scopes];
        }
        else if (scopes.FirstOrDefault(s => !client.Scopes.Contains(s)) is string refused)
        {
            return await RefuseAsync("invalid_scope", "A requested scope is not allowed for this client", client.Id, address, ("scope", RequestPreamble.Printable(refused)));
        }

        string[] audiences = [.. form["audience"].Concat(form["resource"]).Where(a => !string.IsNullOrEmpty(a)).Select(a => a!)];
        if (audiences.Length == 0)
        {
            audiences = [.. client.Audiences];
        }
        else if (audiences.FirstOrDefault(a => !client.Audiences.Contains(a)) is string target)
        {
            return await RefuseAsync("invalid_target", "A requested audience is not allowed for this client", client.Id, address, ("audience", RequestPreamble.Printable(target)));
        }

        StoredKey? active = state.Ring.Active;
        if (active is null)
        {
            await state.Log.WriteAsync("issuance_failed", ("client_id", client.Id), ("reason", "no active signing key"));
            return OAuthError.Of("temporarily_unavailable", "No signing key is active", StatusCodes.Status503ServiceUnavailable);
        }

        string scope = string.Join(' ', scopes);
        IssuedToken issued;
        try
        {
            issued = _issuer.Issue(active.Key, new TokenRequest
            {
                Subject = client.Id,
                ClientId = client.Id,
                Audiences = audiences,
                Scope = scopes.Length == 0 ? null : scope,
            });
        }
        catch (TokenTooLargeException)
        {
            return await RefuseAsync("invalid_request", "The token would exceed the size limit", client.Id, address);
        }

        await state.Log.WriteAsync("token_issued", ("client_id", client.Id), ("jti", issued.JwtId), ("kid", active.Metadata.Kid), ("aud", audiences), ("scope", scope), ("address", address));
        state.Metrics.Issued.Add(1);
        state.Metrics.Latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        var body = new Dictionary<string, object>
        {
            ["access_token"] = issued.Token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)state.Config.TokenTtl.TotalSeconds,
        };
        if (scopes.Length > 0)
        {
            body["scope"] = scope;
        }

        return Results.Json(body);
    }

    private async Task<IResult> RefuseAsync(string error, string description, string clientId, string address, params (string, object?)[] extra)
    {
        await state.Refusals.WriteAsync("token_request_refused", address, clientId, [("error", error), .. extra]);
        state.Metrics.Refused.Add(1, new KeyValuePair<string, object?>("code", error));
        return OAuthError.Of(error, description);
    }
}
