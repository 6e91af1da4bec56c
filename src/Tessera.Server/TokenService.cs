// SPEC §6: the token service. HTTPS only, TLS 1.3 only, HTTP/1.1 and HTTP/2; the endpoints of
// SPEC §6 over one strict engine; keys from a KeyRing (rotations picked up without restart);
// revocations in the embedded store; a security log; health and metrics.
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Tessera.Server.Configuration;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Server.Clients;
using Tessera.Server.Endpoints;
using Tessera.Server.Revocation;

namespace Tessera.Server;

/// <summary>Builds and runs the token service.</summary>
public static class TokenService
{
    /// <summary>Largest request body accepted (form posts are small).</summary>
    public const long MaxRequestBody = 16 * 1024;

    /// <summary>Largest request header block accepted.</summary>
    public const int MaxRequestHeaders = 16 * 1024;

    /// <summary>Builds the web application for <paramref name="config"/>; throws <see cref="ConfigException"/> on configuration errors.</summary>
    public static async Task<WebApplication> BuildAsync(TesseraConfig config, ServiceContext context, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        if (config.TlsCert is null || config.TlsKey is null)
        {
            throw new ConfigException("tls.cert and tls.key are required (TLS 1.3 only; the development profile makes its own)");
        }

        CheckNetworkSettings(config);
        X509Certificate2 certificate = LoadCertificate(config.TlsCert, config.TlsKey);
        Uri listen = new(config.Listen);

        WebApplicationBuilder builder = SlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBody;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeaders;
            IPAddress address = listen.Host is "0.0.0.0" or "*" ? IPAddress.Any
                : listen.Host is "[::]" or "::" ? IPAddress.IPv6Any
                : listen.Host == "localhost" ? IPAddress.Loopback
                : IPAddress.Parse(listen.Host.Trim('[', ']'));
            kestrel.Listen(address, listen.Port, endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http1AndHttp2;
                endpoint.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    https.SslProtocols = SslProtocols.Tls13;
                });
            });
        });

        List<Client> clients = await ClientRegistry.LoadAsync(config, cancel);
        var ring = new KeyRing(new KeyDirectory(config.KeysDir, config.Schedule, context.AllowVolatileKeys), context.Time);
        var log = new SecurityLog(config.SecurityLog, context.Time, context.Stdout);
        // On Redis the service starts stale when Redis is down (readyz 503) and recovers by itself;
        // as an issuer it journals every revocation to SQLite and re-seeds a Redis that lost them.
        IRevocationStore store = RevocationStores.Open(
            config.RevocationStore,
            context.Time,
            config.RevocationMaxStaleness,
            journal: config.RevocationStore.Kind == RevocationStoreKind.Sqlite ? null : config.RevocationJournal,
            oneShot: false,
            learned: entry => log.Write(
                "revocation_synced",
                ("kind", entry.Scope switch { null => "jti", CutoffScope.Issuer => "issuer_cutoff", CutoffScope.Subject => "subject_cutoff", _ => "client_cutoff" }),
                (entry.Scope is null ? "jti" : "id", entry.Id),
                (entry.Scope is null ? "until" : "before", entry.Time)));
        var metrics = new ServerMetrics();
        metrics.Watch(store, context.Time);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(ring);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(ServerMetrics.MeterName).AddPrometheusExporter());

        WebApplication app = builder.Build();
        var state = new ServiceState(config, ring, store, log, metrics, context.Time, clients);
        ring.Changed += (_, _) => log.Write("keys_reloaded", ("active_kid", ring.Active?.Metadata.Kid), ("published", ring.Published.Keys.Count));
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            ring.Dispose();
            store.Dispose();
            log.Dispose();
            metrics.Dispose();
        });
        EndpointMap.Map(app, state);
        log.Write("service_started", ("issuer", config.Issuer), ("listen", config.Listen), ("active_kid", ring.Active?.Metadata.Kid));
        return app;
    }

    /// <summary>A slim web host whose own log is warnings and errors, one line each (the security log is separate).</summary>
    internal static WebApplicationBuilder SlimBuilder()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Checks <c>listen</c>, <c>issuance.allowed_cidrs</c> and <c>issuance.trusted_proxies</c>;
    /// throws <see cref="ConfigException"/> naming every bad value.
    /// </summary>
    public static void CheckNetworkSettings(TesseraConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        if (!Uri.TryCreate(config.Listen, UriKind.Absolute, out Uri? url) || url.Scheme != "https"
            || !(url.Host is "localhost" || IPAddress.TryParse(url.Host.Trim('[', ']'), out _)))
        {
            problems.Add($"listen: '{config.Listen}' must be https://ADDRESS:PORT with an IP address (0.0.0.0, [::]) or localhost");
        }

        foreach ((string key, string value) in config.AllowedCidrs.Select(c => ("issuance.allowed_cidrs", c))
            .Concat(config.TrustedProxies.Select(p => ("issuance.trusted_proxies", p))))
        {
            if (!IPNetwork.TryParse(value, out _) && !IPAddress.TryParse(value, out _))
            {
                problems.Add($"{key}: '{value}' is not an address or CIDR block");
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigException(string.Join("; ", problems));
        }
    }

    /// <summary>Reads a PEM certificate and private key.</summary>
    public static X509Certificate2 LoadCertificate(string certPath, string keyPath)
    {
        try
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            // Kestrel on Linux wants a certificate whose key is exportable to its own store format.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new ConfigException($"tls.cert/tls.key: cannot load {certPath} with {keyPath}: {ex.Message}", ex);
        }
    }
}
