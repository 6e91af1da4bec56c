// Client-authenticated token endpoints (docs/SPEC.md §6, §7):
//   POST /revoke      RFC 7009: 200 whatever the token; a client revokes only its own tokens, and
//                     the jti stays denied until the token's exp plus skew.
//   POST /introspect  RFC 7662: the claims of a valid token to its own client or to a client whose
//                     audiences include the token's (RFC 7662 §4: the server decides who may
//                     learn what), else {"active": false}.
using Microsoft.AspNetCore.Http;
using Tessera.Validation;

namespace Tessera.Server.Endpoints;

internal sealed class RevocationEndpoints(ServiceState state)
{
    public async Task<IResult> RevokeAsync(HttpContext http)
    {
        (Clients.Client? client, string? token, string address, IResult? refusal) = await TokenPostAsync(http, "/revoke");
        if (refusal is not null)
        {
            return refusal;
        }

        // RFC 7009 §2.2: 200 whatever the token is; a client revokes only its own tokens.
        ValidationResult result = state.Validate(token, "/revoke", client!.Id, address);
        TokenClaims? claims = result.Claims;
        bool signedByUs = result.Error is ValidationError.None or ValidationError.Revoked;
        if (signedByUs && claims?.ClientId == client!.Id && claims.JwtId is string jti && claims.ExpiresAt is long exp)
        {
            try
            {
                state.Store.Revoke(jti, DateTimeOffset.FromUnixTimeSeconds(exp) + state.Config.ClockSkew);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // RFC 7009 §2.2.1: 503 tells the client the token still exists and to retry.
                await state.Log.WriteAsync("revocation_failed", ("client_id", client.Id), ("jti", jti), ("reason", "revocation store unavailable"), ("address", address));
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            state.Metrics.Revoked.Add(1);
            await state.Log.WriteAsync("token_revoked", ("client_id", client.Id), ("jti", jti), ("address", address));
        }
        else
        {
            await state.Log.WriteAsync("revocation_ignored", ("client_id", client!.Id), ("reason", signedByUs ? "token of another client" : "not a valid token: " + result.Code), ("address", address));
        }

        return Results.Ok();
    }

    public async Task<IResult> IntrospectAsync(HttpContext http)
    {
        (Clients.Client? client, string? token, string address, IResult? refusal) = await TokenPostAsync(http, "/introspect");
        if (refusal is not null)
        {
            return refusal;
        }

        ValidationResult result = state.Validate(token, "/introspect", client!.Id, address);
        http.Response.Headers.CacheControl = "no-store";
        if (!result.IsValid)
        {
            await state.Log.WriteAsync("token_refused", ("endpoint", "/introspect"), ("client_id", client!.Id), ("code", result.Code), ("detail", result.Detail), ("address", address));
            return Results.Json(new Dictionary<string, object> { ["active"] = false });
        }

        // docs/SPEC.md §6: only the token's own client, or a resource server the token is for,
        // learns its claims; anyone else gets the same answer as for a bad token.
        TokenClaims c = result.Claims!;
        if (c.ClientId != client!.Id && !c.Audiences.Any(client.Audiences.Contains))
        {
            await state.Refusals.WriteAsync("introspection_refused", address, client.Id, ("reason", "token of another client, for another audience"));
            return Results.Json(new Dictionary<string, object> { ["active"] = false });
        }

        var body = new Dictionary<string, object?>
        {
            ["active"] = true,
            ["iss"] = c.Issuer,
            ["sub"] = c.Subject,
            ["aud"] = c.Audiences,
            ["client_id"] = c.ClientId,
            ["scope"] = c.Scope,
            ["jti"] = c.JwtId,
            ["exp"] = c.ExpiresAt,
            ["iat"] = c.IssuedAt,
            ["nbf"] = c.NotBefore,
            ["token_type"] = "Bearer",
        };
        return Results.Json(body.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    // The preamble of both endpoints, then the one parameter they need.
    private async Task<(Clients.Client? Client, string? Token, string Address, IResult? Refusal)> TokenPostAsync(HttpContext http, string endpoint)
    {
        (Clients.Client? client, IFormCollection? form, string address, IResult? refusal) = await RequestPreamble.RunAsync(state, http, endpoint, internalOnly: false);
        if (refusal is not null)
        {
            return (null, null, address, refusal);
        }

        string? token = form!["token"].FirstOrDefault();
        return string.IsNullOrEmpty(token)
            ? (client, null, address, OAuthError.Of("invalid_request", "token is required"))
            : (client, token, address, null);
    }
}
