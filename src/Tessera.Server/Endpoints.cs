// The endpoints of SPEC §6:
//   POST /token                                   client_credentials (RFC 6749 §4.4)
//   GET  /.well-known/jwks.json                   next, active, retiring public keys (RFC 7517)
//   GET  /.well-known/openid-configuration        discovery (OIDC Discovery §3)
//   GET  /.well-known/oauth-authorization-server  discovery (RFC 8414)
//   POST /revoke                                  RFC 7009
//   POST /introspect                              RFC 7662
//   GET  /healthz, /readyz
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Configuration;
using Tessera.Issuance;
using Tessera.Keys;
using Tessera.Revocation.Sqlite;
using Tessera.Validation;

namespace Tessera.Server;

internal sealed class Endpoints
{
    private static readonly string[] GrantTypes = ["client_credentials"];
    private static readonly string[] AuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt"];
    private static readonly string[] ResponseTypes = ["token"];
    private static readonly string[] SubjectTypes = ["public"];

    private readonly TesseraConfig _config;
    private readonly KeyRing _ring;
    private readonly SqliteRevocationStore _store;
    private readonly SecurityLog _log;
    private readonly ServerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly NetworkPolicy _network;
    private readonly ClientAuthenticator _clients;
    private readonly TokenIssuer _issuer;
    private readonly PartitionedRateLimiter<string>? _perClient;
    private readonly PartitionedRateLimiter<string>? _perAddress;
    private readonly string _issuerUrl;
    private readonly TokenValidator _validator;
    private KeySet _validatorKeys;
    private JwksDocument? _jwks;

    public Endpoints(TesseraConfig config, KeyRing ring, SqliteRevocationStore store, SecurityLog log, ServerMetrics metrics, ServiceContext context)
    {
        _config = config;
        _ring = ring;
        _store = store;
        _log = log;
        _metrics = metrics;
        _time = context.Time;
        _issuerUrl = config.Issuer.TrimEnd('/');
        _network = new NetworkPolicy(config.AllowedCidrs, config.TrustedProxies);
        _clients = new ClientAuthenticator(LoadClients(config), config.Issuer, store, _time);
        _issuer = new TokenIssuer(new IssuanceOptions { Issuer = config.Issuer, Lifetime = config.TokenTtl, Type = config.TokenTyp, MaxTokenSize = config.MaxTokenSize }, _time);
        _perClient = Limiter(config.RatePerClient);
        _perAddress = Limiter(config.RatePerAddress);
        _validatorKeys = ring.Published;
        _validator = NewValidator(_validatorKeys);
    }

    public void Map(WebApplication app)
    {
        // Metrics tell traffic volumes: only the internal networks may scrape them.
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal) && !_network.MayIssue(_network.ClientAddress(http)))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next(http);
        });

        app.MapPost("/token", (Delegate)Token);
        app.MapGet("/.well-known/jwks.json", (Delegate)Jwks);
        app.MapGet("/.well-known/openid-configuration", (Delegate)Discovery);
        app.MapGet("/.well-known/oauth-authorization-server", (Delegate)Discovery);
        app.MapPost("/revoke", (Delegate)Revoke);
        app.MapPost("/introspect", (Delegate)Introspect);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", (Delegate)Ready);
    }

    private async Task<IResult> Token(HttpContext http)
    {
        long started = Stopwatch.GetTimestamp();
        IPAddress address = _network.ClientAddress(http);
        if (!_network.MayIssue(address))
        {
            _log.Write("request_denied", ("endpoint", "/token"), ("address", address.ToString()), ("reason", "address outside issuance.allowed_cidrs"));
            _metrics.Refused.Add(1, new KeyValuePair<string, object?>("code", "forbidden"));
            return OAuthError.Of("access_denied", "Token issuance is not allowed from this network", StatusCodes.Status403Forbidden);
        }

        if (Limited(_perAddress, address.ToString(), http) is IResult limitedAddress)
        {
            _log.Write("request_denied", ("endpoint", "/token"), ("address", address.ToString()), ("reason", "rate limit per address"));
            return limitedAddress;
        }

        IFormCollection? form = await ReadForm(http);
        if (form is null)
        {
            return Refuse("invalid_request", "The request must be a form post (application/x-www-form-urlencoded)", null, address);
        }

        (Client? client, string? clientId, string? failure) = _clients.Authenticate(http.Request, form);
        if (client is null)
        {
            _log.Write("client_auth_failed", ("client_id", Printable(clientId)), ("address", address.ToString()), ("reason", failure));
            _metrics.Refused.Add(1, new KeyValuePair<string, object?>("code", "invalid_client"));
            return OAuthError.InvalidClient(http);
        }

        if (Limited(_perClient, client.Id, http) is IResult limitedClient)
        {
            _log.Write("request_denied", ("endpoint", "/token"), ("client_id", client.Id), ("address", address.ToString()), ("reason", "rate limit per client"));
            return limitedClient;
        }

        string? grant = form["grant_type"].FirstOrDefault();
        if (grant != "client_credentials")
        {
            return grant is null
                ? Refuse("invalid_request", "grant_type is required", client.Id, address)
                : Refuse("unsupported_grant_type", "Only client_credentials is supported", client.Id, address);
        }

        string[] scopes = (form["scope"].FirstOrDefault() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0)
        {
            scopes = [.. client.Scopes];
        }
        else if (scopes.FirstOrDefault(s => !client.Scopes.Contains(s)) is string refused)
        {
            return Refuse("invalid_scope", "A requested scope is not allowed for this client", client.Id, address, ("scope", Printable(refused)));
        }

        string[] audiences = [.. form["audience"].Concat(form["resource"]).Where(a => !string.IsNullOrEmpty(a)).Select(a => a!)];
        if (audiences.Length == 0)
        {
            audiences = [.. client.Audiences];
        }
        else if (audiences.FirstOrDefault(a => !client.Audiences.Contains(a)) is string target)
        {
            return Refuse("invalid_target", "A requested audience is not allowed for this client", client.Id, address, ("audience", Printable(target)));
        }

        StoredKey? active = _ring.Active;
        if (active is null)
        {
            _log.Write("issuance_failed", ("client_id", client.Id), ("reason", "no active signing key"));
            return OAuthError.Of("temporarily_unavailable", "No signing key is active", StatusCodes.Status503ServiceUnavailable);
        }

        string token;
        string jti;
        try
        {
            (token, jti) = _issuer.IssueWithId(active.Key, new TokenRequest
            {
                Subject = client.Id,
                ClientId = client.Id,
                Audiences = audiences,
                Scope = scopes.Length == 0 ? null : string.Join(' ', scopes),
            });
        }
        catch (TokenTooLargeException)
        {
            return Refuse("invalid_request", "The token would exceed the size limit", client.Id, address);
        }

        _log.Write("token_issued", ("client_id", client.Id), ("jti", jti), ("kid", active.Metadata.Kid), ("aud", audiences), ("scope", string.Join(' ', scopes)), ("address", address.ToString()));
        _metrics.Issued.Add(1);
        _metrics.Latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        var body = new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)_config.TokenTtl.TotalSeconds,
        };
        if (scopes.Length > 0)
        {
            body["scope"] = string.Join(' ', scopes);
        }

        return Results.Json(body);
    }

    private IResult Jwks(HttpContext http)
    {
        KeySet published = _ring.Published;
        JwksDocument? doc = Volatile.Read(ref _jwks);
        if (doc is null || !ReferenceEquals(doc.Keys, published))
        {
            string text = published.ToJwks();
            doc = new JwksDocument(published, text, "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32] + "\"");
            Volatile.Write(ref _jwks, doc);
        }

        (string json, string etag) = (doc.Json, doc.ETag);
        http.Response.Headers.CacheControl = $"public, max-age={(long)_config.Schedule.JwksMaxAge.TotalSeconds}";
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v == etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Text(json, "application/jwk-set+json");
    }

    private IResult Discovery(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        string[] algs = [.. _config.AllowedAlgs.Select(a => a.Name)];
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _config.Issuer,
            ["jwks_uri"] = _issuerUrl + "/.well-known/jwks.json",
            ["token_endpoint"] = _issuerUrl + "/token",
            ["revocation_endpoint"] = _issuerUrl + "/revoke",
            ["introspection_endpoint"] = _issuerUrl + "/introspect",
            ["grant_types_supported"] = GrantTypes,
            ["token_endpoint_auth_methods_supported"] = AuthMethods,
            ["token_endpoint_auth_signing_alg_values_supported"] = JwsAlgorithmNames(),
            ["revocation_endpoint_auth_methods_supported"] = AuthMethods,
            ["introspection_endpoint_auth_methods_supported"] = AuthMethods,
            ["scopes_supported"] = _clients.AllScopes,
            ["response_types_supported"] = ResponseTypes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = algs,
        });
    }

    private async Task<IResult> Revoke(HttpContext http)
    {
        (Client? client, string? token, IPAddress address, IResult? refusal) = await TokenRequest(http, "/revoke");
        if (refusal is not null)
        {
            return refusal;
        }

        // RFC 7009 §2.2: 200 whatever the token is; a client revokes only its own tokens.
        ValidationResult result = Validator().Validate(token);
        TokenClaims? claims = result.Claims;
        bool signedByUs = result.Error is ValidationError.None or ValidationError.Revoked;
        if (signedByUs && claims?.ClientId == client.Id && claims.JwtId is string jti && claims.ExpiresAt is long exp)
        {
            _store.Revoke(jti, DateTimeOffset.FromUnixTimeSeconds(exp) + _config.ClockSkew);
            _metrics.Revoked.Add(1);
            _log.Write("token_revoked", ("client_id", client.Id), ("jti", jti), ("address", address.ToString()));
        }
        else
        {
            _log.Write("revocation_ignored", ("client_id", client.Id), ("reason", signedByUs ? "token of another client" : "not a valid token: " + result.Code), ("address", address.ToString()));
        }

        return Results.Ok();
    }

    private async Task<IResult> Introspect(HttpContext http)
    {
        (Client? client, string? token, IPAddress address, IResult? refusal) = await TokenRequest(http, "/introspect");
        if (refusal is not null)
        {
            return refusal;
        }

        ValidationResult result = Validator().Validate(token);
        http.Response.Headers.CacheControl = "no-store";
        if (!result.IsValid)
        {
            _log.Write("token_refused", ("endpoint", "/introspect"), ("client_id", client.Id), ("code", result.Code), ("address", address.ToString()));
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

    // The common part of /revoke and /introspect: a form post, an authenticated client, a token.
    private async Task<(Client Client, string Token, IPAddress Address, IResult? Refusal)> TokenRequest(HttpContext http, string endpoint)
    {
        IPAddress address = _network.ClientAddress(http);
        IFormCollection? form = await ReadForm(http);
        if (form is null)
        {
            return (null!, null!, address, OAuthError.Of("invalid_request", "The request must be a form post"));
        }

        (Client? client, string? clientId, string? failure) = _clients.Authenticate(http.Request, form);
        if (client is null)
        {
            _log.Write("client_auth_failed", ("endpoint", endpoint), ("client_id", Printable(clientId)), ("address", address.ToString()), ("reason", failure));
            return (null!, null!, address, OAuthError.InvalidClient(http));
        }

        string? token = form["token"].FirstOrDefault();
        return string.IsNullOrEmpty(token)
            ? (client, null!, address, OAuthError.Of("invalid_request", "token is required"))
            : (client, token, address, null);
    }

    private IResult Ready()
    {
        bool keys = _ring.Active is not null;
        bool store = _store.IsHealthy;
        return keys && store
            ? Results.Text("ready\n")
            : Results.Text($"not ready: keys {(keys ? "ok" : "no active key")}, store {(store ? "ok" : "unreachable")}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    // The validator follows the key ring (TokenValidator.UpdateKeys also forgets remembered
    // tokens of keys that left): tokens of a retired key are refused and a new key's accepted
    // without a restart. KeyRing.Published is one instance until the set changes.
    private TokenValidator Validator()
    {
        KeySet published = _ring.Published;
        if (!ReferenceEquals(published, Volatile.Read(ref _validatorKeys)))
        {
            Volatile.Write(ref _validatorKeys, published);
            _validator.UpdateKeys(published);
        }

        return _validator;
    }

    private TokenValidator NewValidator(KeySet keys) => new(
        new ValidationOptions
        {
            Issuer = _config.Issuer,
            Audiences = _config.Audiences,
            Algorithms = _config.AllowedAlgs,
            Type = _config.TokenTyp,
            ClockSkew = _config.ClockSkew,
            MaxLifetime = _config.MaxTokenLifetime,
            MaxTokenSize = _config.MaxTokenSize,
        },
        keys,
        _time,
        _store);

    private string[] JwsAlgorithmNames() => [.. _config.AllowedAlgs.Select(a => a.Name)];

    private IResult Refuse(string error, string description, string? clientId, IPAddress address, params (string, object?)[] extra)
    {
        _log.Write("token_request_refused", [("error", error), ("client_id", clientId), ("address", address.ToString()), .. extra]);
        _metrics.Refused.Add(1, new KeyValuePair<string, object?>("code", error));
        return OAuthError.Of(error, description);
    }

    private static async Task<IFormCollection?> ReadForm(HttpContext http)
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

    private static IResult? Limited(PartitionedRateLimiter<string>? limiter, string key, HttpContext http)
    {
        if (limiter is null)
        {
            return null;
        }

        using RateLimitLease lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        int retry = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return OAuthError.Of("slow_down", "Too many requests", StatusCodes.Status429TooManyRequests);
    }

    private static PartitionedRateLimiter<string>? Limiter((int Permits, TimeSpan Window) rate) =>
        rate.Permits == 0
            ? null
            : PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = rate.Permits,
                Window = rate.Window,
                QueueLimit = 0,
            }));

    // Client-supplied strings reach the log only bounded and without control characters.
    private static string? Printable(string? value) =>
        value is null ? null : new string([.. value.Take(128).Where(c => !char.IsControl(c))]);

    private static List<Client> LoadClients(TesseraConfig config)
    {
        var clients = new List<Client>();
        foreach (ClientConfig c in config.Clients)
        {
            KeySet? keys = null;
            if (c.Jwks is not null)
            {
                string json = c.Jwks.StartsWith("https://", StringComparison.Ordinal)
                    ? FetchJwks(c.Jwks)
                    : File.ReadAllText(c.Jwks);
                keys = KeySet.FromJwks(json);
            }

            clients.Add(new Client(c, c.Scopes, c.Audiences.Count > 0 ? c.Audiences : config.Audiences, keys));
        }

        return clients;
    }

    private static string FetchJwks(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = 1 << 20 };
        return http.GetStringAsync(new Uri(url)).GetAwaiter().GetResult();
    }

    private sealed record JwksDocument(KeySet Keys, string Json, string ETag);
}
