using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.IntegrationTests.Edge;

/// <summary>
/// An issuer's key endpoints on a real Kestrel over TLS (loopback, self-signed): RFC 8414
/// metadata and a JWK Set that a test can swap, take down, and count requests to. The JWKS answer
/// carries an ETag (the SHA-256 of the body) and <c>Cache-Control: max-age=</c><see cref="MaxAge"/>;
/// a matching If-None-Match gets 304.
/// </summary>
public sealed class IssuerDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private string _jwks = """{"keys":[]}""";
    private int _jwksRequests;
    private int _requests;
    private int _notModified;

    private IssuerDouble(WebApplication app, X509Certificate2 cert)
    {
        _app = app;
        Certificate = cert;
    }

    public X509Certificate2 Certificate { get; }

    public string Origin { get; private set; } = "";

    public Uri JwksUri => new(Origin + "/.well-known/jwks.json");

    /// <summary>Seconds of freshness the JWKS answer announces.</summary>
    public int MaxAge { get; set; } = 300;

    /// <summary>The issuer the metadata names (default: <see cref="Origin"/>).</summary>
    public string? MetadataIssuer { get; set; }

    /// <summary>While true every request is answered 503.</summary>
    public bool Down { get; set; }

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>Every request answered, whatever its path (also while <see cref="Down"/>).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int NotModified => Volatile.Read(ref _notModified);

    /// <summary>Publishes exactly these keys (public parts).</summary>
    public void Publish(params JwsKey[] keys) => Volatile.Write(ref _jwks, new KeySet(keys).ToJwks());

    /// <summary>Publishes this text as the JWKS body, whatever it is.</summary>
    public void PublishRaw(string body) => Volatile.Write(ref _jwks, body);

    public static async Task<IssuerDouble> StartAsync()
    {
        X509Certificate2 cert = Cli.JwksHost.SelfSigned();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions? listener = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => listener = l.UseHttps(cert)));
        WebApplication app = builder.Build();
        var issuer = new IssuerDouble(app, cert);
        app.Run(issuer.AnswerAsync);
        await app.StartAsync();
        issuer.Origin = $"https://127.0.0.1:{listener!.IPEndPoint!.Port}";
        return issuer;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requests);
        if (Down)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        switch (http.Request.Path.Value)
        {
            case "/.well-known/oauth-authorization-server":
                await http.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["issuer"] = MetadataIssuer ?? Origin, ["jwks_uri"] = JwksUri.ToString() });
                return;
            case "/.well-known/jwks.json":
                Interlocked.Increment(ref _jwksRequests);
                string body = Volatile.Read(ref _jwks);
                string etag = "\"" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..16] + "\"";
                http.Response.Headers.ETag = etag;
                http.Response.Headers.CacheControl = $"public, max-age={MaxAge}";
                if (http.Request.Headers.IfNoneMatch.Contains(etag))
                {
                    Interlocked.Increment(ref _notModified);
                    http.Response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }

                http.Response.ContentType = "application/jwk-set+json";
                await http.Response.WriteAsync(body);
                return;
            default:
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
