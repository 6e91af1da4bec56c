// The routes of docs/SPEC.md §6, in one table; each handler lives in the file of its endpoint.
// Handlers are cast to Delegate: a Task<IResult> method would otherwise bind as a RequestDelegate
// and its result would never be written.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Endpoints;

internal static class EndpointMap
{
    public static void Map(WebApplication app, ServiceState state)
    {
        // The guard is on the endpoint, not on a path prefix: routing matches /METRICS, /Metrics/
        // and every other spelling to the same endpoint, and the guard sees the endpoint routing
        // chose. (A case-sensitive prefix check once let /METRICS through.)
        app.UseRouting();
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<InternalOnly>() is not null && !state.Network.MayIssue(state.Network.ClientAddress(http)))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next(http);
        });

        var token = new TokenEndpoint(state);
        var keys = new KeyEndpoints(state);
        var revocation = new RevocationEndpoints(state);
        var health = new HealthEndpoints(state);
        app.MapPost("/token", (Delegate)token.HandleAsync);
        app.MapGet("/.well-known/jwks.json", (Delegate)keys.Jwks);
        app.MapGet("/.well-known/openid-configuration", (Delegate)keys.Discovery);
        app.MapGet("/.well-known/oauth-authorization-server", (Delegate)keys.Discovery);
        app.MapPost("/revoke", (Delegate)revocation.RevokeAsync);
        app.MapPost("/introspect", (Delegate)revocation.IntrospectAsync);
        app.MapGet("/healthz", (Delegate)HealthEndpoints.Live);
        app.MapGet("/readyz", (Delegate)health.Ready);

        // Metrics tell traffic volumes: only the internal networks may scrape them.
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(InternalOnly.Instance);
    }

    /// <summary>Endpoint metadata: answered only to issuance.allowed_cidrs.</summary>
    private sealed class InternalOnly
    {
        public static readonly InternalOnly Instance = new();
    }
}
