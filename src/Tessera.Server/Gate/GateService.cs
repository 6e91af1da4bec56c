// docs/SPEC.md §9: `tessera gate`, a small Kestrel service that answers "may this request pass?"
// for a reverse proxy, with Tessera's pipeline over the issuer's JWKS (cached; the issuer is
// never asked per request). /healthz, /readyz and /metrics share the listener.
//
// A health path is answered as health only for a plain request: GET, no Authorization and none of
// the headers a proxy adds when it asks about a client's request (X-Original-URI,
// X-Forwarded-Uri, X-Forwarded-For, X-Envoy-*). Envoy's ext_authz forwards the client's own path,
// so without this rule a client asking for /healthz through Envoy would be let in by a 200.
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Tessera.Jwks;
using Tessera.Keys;
using Tessera.Server.Configuration;
using Tessera.Revocation;
using Tessera.Server.Endpoints;
using Tessera.Server.Revocation;
using Tessera.Validation;

namespace Tessera.Server.Gate;

/// <summary>Builds and runs <c>tessera gate</c>.</summary>
public static class GateService
{
    private static readonly string[] ProxyHeaders = ["X-Original-URI", "X-Original-Method", "X-Forwarded-Uri", "X-Forwarded-Method", "X-Forwarded-For", "X-Forwarded-Host"];

    /// <summary>Builds the gate for <paramref name="config"/>; throws <see cref="ConfigException"/> on configuration errors.</summary>
    public static WebApplication Build(TesseraConfig config, ServiceContext context)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        GateConfig gate = config.Gate;
        (IPAddress address, int port, bool https) = Listen(gate.Listen);
        X509Certificate2? certificate = https
            ? (config.TlsCert is not null && config.TlsKey is not null
                ? TokenService.LoadCertificate(config.TlsCert, config.TlsKey)
                : throw new ConfigException("gate.listen: https needs tls.cert and tls.key"))
            : null;
        var policy = new NetworkPolicy([], gate.TrustedProxies);
        ValidationOptions options = config.ValidationPolicy(gate.Audiences);
        IRevocationStore? revocations = Revocations(config, context.Time);
        (Func<string, CancellationToken, ValueTask<ValidationResult?>> validate, JwksClient? jwks) = Validator(gate, options, context.Time, revocations);

        WebApplicationBuilder builder = TokenService.SlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = TokenService.MaxRequestHeaders;
            kestrel.Listen(address, port, endpoint =>
            {
                // HTTP/2 needs TLS (ALPN) here; on plain http Kestrel would warn at every start.
                endpoint.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    endpoint.UseHttps(h =>
                    {
                        h.ServerCertificate = certificate;
                        h.SslProtocols = SslProtocols.Tls13;
                    });
                }
            });
        });
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(GateMetrics.MeterName, JwksClient.MeterName).AddPrometheusExporter());

        WebApplication app = builder.Build();
        var metrics = new GateMetrics();
        var log = new SecurityLog(config.SecurityLog, context.Time, context.Stdout);
        var refusals = new RefusalLog(log, context.Time);
        var decision = new GateDecision(validate, gate.RequiredScopes, metrics, (http, code) =>
            _ = refusals.WriteAsync("gate_refused", NetworkPolicy.Describe(policy.ClientAddress(http)), null, ("code", code), ("uri", OriginalUri(http, policy))).AsTask(),
            (http, claims) => log.Write("stale_revocation_accepted", ("jti", claims.JwtId), ("sub", claims.Subject), ("client_id", claims.ClientId), ("address", NetworkPolicy.Describe(policy.ClientAddress(http)))));
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            jwks?.Dispose();
            revocations?.Dispose();
            metrics.Dispose();
            log.Dispose();
        });

        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => IsPlain(http, "/metrics"));
        app.Run(async http =>
        {
            metrics.Enter();
            try
            {
                if (IsPlain(http, "/healthz"))
                {
                    await Results.Text("ok\n").ExecuteAsync(http);
                }
                else if (IsPlain(http, "/readyz"))
                {
                    await (await ReadyAsync(jwks, revocations, metrics, gate.MaxInFlight)).ExecuteAsync(http);
                }
                else
                {
                    await decision.AnswerAsync(http);
                }
            }
            finally
            {
                metrics.Leave();
            }
        });
        // Fetch the keys at start, so the first request and the first readiness probe find them.
        app.Lifetime.ApplicationStarted.Register(() => _ = jwks?.GetKeysAsync().AsTask());
        log.Write("gate_started", ("issuer", config.Issuer), ("listen", gate.Listen), ("jwks", gate.Jwks));
        return app;
    }

    // Ready while keys are usable and the node is not overloaded, so a balancer's health check
    // moves traffic elsewhere before latency collapses.
    private static async Task<IResult> ReadyAsync(JwksClient? jwks, IRevocationStore? revocations, GateMetrics metrics, int maxInFlight)
    {
        if (jwks is not null && jwks.Health == JwksHealth.Unavailable)
        {
            // No request may have asked for keys yet: the probe waits (briefly) for a fetch.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await jwks.GetKeysAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // answered below as not ready
            }
        }

        JwksHealth health = jwks?.Health ?? JwksHealth.Fresh;

        bool overloaded = metrics.InFlight > maxInFlight;
        bool revocationStale = revocations is { IsHealthy: false };
        return health != JwksHealth.Unavailable && !overloaded && !revocationStale
            ? Results.Text(health == JwksHealth.Stale ? "ready (keys stale: issuer unreachable)\n" : "ready\n")
            : Results.Text($"not ready: {(overloaded ? "overloaded" : revocationStale ? "revocation list stale" : "no usable keys")}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static bool IsPlain(HttpContext http, string path)
    {
        HttpRequest request = http.Request;
        string actual = request.Path.Value ?? "";
        return HttpMethods.IsGet(request.Method)
            && string.Equals(actual.TrimEnd('/'), path, StringComparison.OrdinalIgnoreCase)
            && !request.Headers.ContainsKey("Authorization")
            && !ProxyHeaders.Any(request.Headers.ContainsKey)
            && !request.Headers.Keys.Any(k => k.StartsWith("X-Envoy-", StringComparison.OrdinalIgnoreCase));
    }

    // The client's original request, only from a trusted proxy (nginx: X-Original-URI; Traefik:
    // X-Forwarded-Uri); for the security log only, never for the decision.
    private static string? OriginalUri(HttpContext http, NetworkPolicy policy)
    {
        IPAddress peer = http.Connection.RemoteIpAddress ?? IPAddress.None;
        if (!policy.IsTrustedProxy(peer))
        {
            return http.Request.Path.Value;
        }

        string? uri = http.Request.Headers["X-Original-URI"].FirstOrDefault() ?? http.Request.Headers["X-Forwarded-Uri"].FirstOrDefault();
        return uri is { Length: <= 512 } ? uri : http.Request.Path.Value;
    }

    // docs/SPEC.md §7, §9: the gate consults the shared deny list when revocation.store names a
    // Redis store; it starts stale (readyz 503) while Redis is down and recovers by itself. The
    // embedded SQLite store is one issuer's file: the default location is not the gate's, and
    // naming another SQLite file is refused rather than silently consulting a list nobody shares.
    private static IRevocationStore? Revocations(TesseraConfig config, TimeProvider time)
    {
        RevocationStoreUri uri = config.RevocationStore;
        if (uri.Kind == RevocationStoreKind.Sqlite)
        {
            return uri.ToString() == ConfigLoader.DefaultRevocationStore
                ? null
                : throw new ConfigException("revocation.store: a gate consults a shared store (redis://, rediss://, redis-sentinel://), not an issuer's SQLite file");
        }

        return RevocationStores.Open(uri, time, config.RevocationMaxStaleness, journal: null, oneShot: false);
    }

    private static (Func<string, CancellationToken, ValueTask<ValidationResult?>>, JwksClient?) Validator(GateConfig gate, ValidationOptions options, TimeProvider time, IRevocationList? revocations)
    {
        string source = gate.Jwks!;
        if (source.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(source, UriKind.Absolute, out Uri? url) || url.Scheme != Uri.UriSchemeHttps)
            {
                throw new ConfigException($"gate.jwks: '{source}' must be an https URL or a file");
            }

            X509Certificate2? root = gate.CaCert is null ? null : LoadCa(gate.CaCert);
            var jwks = new JwksClient(new JwksClientOptions { JwksUri = url, TrustedRoot = root }, time);
            var edge = new EdgeValidator(options, jwks, time, revocations);
            return (edge.ValidateAsync, jwks);
        }

        KeySet keys;
        try
        {
            keys = KeySet.FromJwks(File.ReadAllText(source));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or KeyException)
        {
            throw new ConfigException($"gate.jwks: {source}: {ex.Message}", ex);
        }

        var validator = new TokenValidator(options, keys, time, revocations);
        return ((token, _) => ValueTask.FromResult<ValidationResult?>(validator.Validate(token)), null);
    }

    private static X509Certificate2 LoadCa(string path)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new ConfigException($"gate.cacert: cannot load {path}: {ex.Message}", ex);
        }
    }

    private static (IPAddress, int, bool) Listen(string listen)
    {
        if (!Uri.TryCreate(listen, UriKind.Absolute, out Uri? url) || url.Scheme is not ("http" or "https")
            || !(url.Host == "localhost" || IPAddress.TryParse(url.Host.Trim('[', ']'), out _)))
        {
            throw new ConfigException($"gate.listen: '{listen}' must be http://ADDRESS:PORT or https://ADDRESS:PORT with an IP address or localhost");
        }

        IPAddress address = url.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(url.Host.Trim('[', ']'));
        return (address, url.Port, url.Scheme == "https");
    }
}
