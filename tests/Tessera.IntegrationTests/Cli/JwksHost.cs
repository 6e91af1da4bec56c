using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.IntegrationTests.Cli;

/// <summary>
/// An in-test Kestrel that serves a JWK Set over HTTPS on two loopback ports (two origins: same
/// scheme and host, another port) and over plain HTTP on a third, with routes that redirect
/// anywhere, to test what <c>tessera verify --jwks URL</c> fetches and what it refuses. The
/// certificate is self-signed (SAN 127.0.0.1), made in process; <see cref="CaCertPem"/> is what
/// <c>--cacert</c> is given.
/// </summary>
public sealed class JwksHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _cert;
    private int _plainConnections;

    private JwksHost(WebApplication app, X509Certificate2 cert)
    {
        _app = app;
        _cert = cert;
    }

    /// <summary>The first HTTPS origin, e.g. <c>https://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string Origin { get; private set; } = "";

    /// <summary>A second HTTPS origin: same host, another port, the same routes.</summary>
    public string OtherOrigin { get; private set; } = "";

    /// <summary>A plain HTTP origin serving the same routes.</summary>
    public string PlainOrigin { get; private set; } = "";

    /// <summary>The certificate of both HTTPS listeners, PEM.</summary>
    public string CaCertPem => _cert.ExportCertificatePem();

    /// <summary>TCP connections the plain HTTP listener has accepted.</summary>
    public int PlainConnections => Volatile.Read(ref _plainConnections);

    /// <summary>
    /// Starts the host. Routes: <c>/jwks.json</c> (the given JWK Set), <c>/redirect?to=LOCATION</c>
    /// (302 to LOCATION as given), <c>/hops/N</c> (N same-origin redirects, then the JWK Set),
    /// <c>/loop</c>, <c>/status/CODE</c>, <c>/garbage</c> (not JSON), <c>/big</c> (2 MiB with a
    /// Content-Length) and <c>/endless</c> (chunked, no length, until the client goes away).
    /// </summary>
    public static async Task<JwksHost> StartAsync(string jwks)
    {
        X509Certificate2 cert = SelfSigned();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        JwksHost? host = null;
        var listeners = new Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions[3];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listeners[0] = listen.UseHttps(cert));
            kestrel.Listen(IPAddress.Loopback, 0, listen => listeners[1] = listen.UseHttps(cert));
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listeners[2] = listen;
                listen.Use(next => connection =>
                {
                    Interlocked.Increment(ref host!._plainConnections);
                    return next(connection);
                });
            });
        });

        WebApplication app = builder.Build();
        host = new JwksHost(app, cert);
        Map(app, jwks);
        await app.StartAsync();

        // Kestrel writes the port it bound back into each ListenOptions.
        host.Origin = $"https://127.0.0.1:{listeners[0].IPEndPoint!.Port}";
        host.OtherOrigin = $"https://127.0.0.1:{listeners[1].IPEndPoint!.Port}";
        host.PlainOrigin = $"http://127.0.0.1:{listeners[2].IPEndPoint!.Port}";
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _cert.Dispose();
    }

    private static void Map(WebApplication app, string jwks)
    {
        app.MapGet("/jwks.json", () => Results.Text(jwks, "application/json"));
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/hops/{n:int}", (int n) => Results.Redirect(n > 1 ? $"/hops/{n - 1}" : "/jwks.json"));
        app.MapGet("/loop", () => Results.Redirect("/loop"));
        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        app.MapGet("/garbage", () => Results.Text("<html>not a key set</html>", "application/json"));
        app.MapGet("/big", () => Results.Text(new string(' ', 2 << 20) + jwks, "application/json"));
        app.MapGet("/endless", async (HttpContext context) =>
        {
            // No Content-Length: only a bounded read of the body stops the client. Capped at
            // 64 MiB so that a client that reads without bound fails its test instead of hanging.
            context.Response.ContentType = "application/json";
            byte[] chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)' ');
            try
            {
                for (int i = 0; i < 1024 && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The client stopped reading and went away, as it should.
            }
        });
    }

    internal static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=tessera-cli-test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }
}
