// Client-authenticated token endpoints (docs/SPEC.md §6, §7):
//   POST /revoke      RFC 7009: 200 whatever the token; a client revokes only its own tokens, and
//                     the jti stays denied until the token's exp plus skew.
//   POST /introspect  RFC 7662: the claims of a valid token, else {"active": false}.
using Microsoft.AspNetCore.Http;
using Tessera.Validation;

namespace Tessera.Server.Endpoints;

internal sealed class RevocationEndpoints(ServiceState state)
{
    public async Task<IResult> RevokeAsync(HttpContext http)
    {
        (Clients.Client? client, string? token, System.Net.IPAddress address, IResult? refusal) = await RequestPreamble.TokenPostAsync(state, http, "/revoke");
        if (refusal is not null)
        {
            return refusal;
        }

        // RFC 7009 §2.2: 200 whatever the token is; a client revokes only its own tokens.
        ValidationResult result = state.Validator().Validate(token);
        TokenClaims? claims = result.Claims;
        bool signedByUs = result.Error is ValidationError.None or ValidationError.Revoked;
        if (signedByUs && claims?.ClientId == client!.Id && claims.JwtId is string jti && claims.ExpiresAt is long exp)
        {
            state.Store.Revoke(jti, DateTimeOffset.FromUnixTimeSeconds(exp) + state.Config.ClockSkew);
            state.Metrics.Revoked.Add(1);
            await state.Log.WriteAsync("token_revoked", ("client_id", client.Id), ("jti", jti), ("address", address.ToString()));
        }
        else
        {
            await state.Log.WriteAsync("revocation_ignored", ("client_id", client!.Id), ("reason", signedByUs ? "token of another client" : "not a valid token: " + result.Code), ("address", address.ToString()));
        }

        return Results.Ok();
    }

    public async Task<IResult> IntrospectAsync(HttpContext http)
    {
        (Clients.Client? client, string? token, System.Net.IPAddress address, IResult? refusal) = await RequestPreamble.TokenPostAsync(state, http, "/introspect");
        if (refusal is not null)
        {
            return refusal;
        }

        ValidationResult result = state.Validator().Validate(token);
        http.Response.Headers.CacheControl = "no-store";
        if (!result.IsValid)
        {
            await state.Log.WriteAsync("token_refused", ("endpoint", "/introspect"), ("client_id", client!.Id), ("code", result.Code), ("address", address.ToString()));
            return Results.Json(new Dictionary<string, object> { ["active"] = false });
        }

        TokenClaims c = result.Claims!;
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
}
