// Publication (docs/SPEC.md §6):
//   GET /.well-known/jwks.json                   next, active and retiring public keys (RFC 7517 §5)
//   GET /.well-known/openid-configuration        discovery (OIDC Discovery §3)
//   GET /.well-known/oauth-authorization-server  discovery (RFC 8414 §2)
// The JWKS body and its ETag are built once per key-set change, not per request; Cache-Control
// max-age is the schedule's JWKS cache lifetime, which rotation publishes ahead of (§5).
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tessera.Keys;

namespace Tessera.Server.Endpoints;

internal sealed class KeyEndpoints(ServiceState state)
{
    private static readonly string[] GrantTypes = ["client_credentials"];
    private static readonly string[] AuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt"];
    private static readonly string[] ResponseTypes = ["token"];
    private static readonly string[] SubjectTypes = ["public"];

    private JwksDocument? _jwks;

    public IResult Jwks(HttpContext http)
    {
        KeySet published = state.Ring.Published;
        JwksDocument? doc = Volatile.Read(ref _jwks);
        if (doc is null || !ReferenceEquals(doc.Keys, published))
        {
            string text = published.ToJwks();
            doc = new JwksDocument(published, text, "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32] + "\"");
            Volatile.Write(ref _jwks, doc);
        }

        http.Response.Headers.CacheControl = $"public, max-age={(long)state.Config.Schedule.JwksMaxAge.TotalSeconds}";
        http.Response.Headers.ETag = doc.ETag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v == doc.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Text(doc.Json, "application/jwk-set+json");
    }

    public IResult Discovery(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        string[] algs = [.. state.Config.AllowedAlgs.Select(a => a.Name)];
        string url = state.IssuerUrl;
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = state.Config.Issuer,
            ["jwks_uri"] = url + "/.well-known/jwks.json",
            ["token_endpoint"] = url + "/token",
            ["revocation_endpoint"] = url + "/revoke",
            ["introspection_endpoint"] = url + "/introspect",
            ["grant_types_supported"] = GrantTypes,
            ["token_endpoint_auth_methods_supported"] = AuthMethods,
            ["token_endpoint_auth_signing_alg_values_supported"] = algs,
            ["revocation_endpoint_auth_methods_supported"] = AuthMethods,
            ["introspection_endpoint_auth_methods_supported"] = AuthMethods,
            ["scopes_supported"] = state.Clients.AllScopes,
            ["response_types_supported"] = ResponseTypes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = algs,
        });
    }

    private sealed record JwksDocument(KeySet Keys, string Json, string ETag);
}
