// A minimal resource server on a real Kestrel (loopback), protected by AddTesseraBearer the way
// a user would write it: Authority + Audience (+ the issuer's private CA, as the test issuer's
// certificate is self-signed). Routes: /data (any valid token), /write (scope "write"), /admin
// (scope "admin"). Bodies say who the caller is, from HttpContext.User.
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.AspNetCore;

namespace Tessera.IntegrationTests.Edge;

public sealed class TesseraApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TesseraApi(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Options in code.</summary>
    public static Task<TesseraApi> StartAsync(Action<TesseraBearerOptions> configure) =>
        StartAsync(builder => builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer(configure));

    /// <summary>Options from configuration only (Authentication:Schemes:TesseraBearer:*), as appsettings.json would give them.</summary>
    public static Task<TesseraApi> StartFromConfigurationAsync(IDictionary<string, string?> settings) =>
        StartAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer();
        });

    private static async Task<TesseraApi> StartAsync(Action<WebApplicationBuilder> authentication)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        authentication(builder);
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("write", p => p.RequireScope("write"));
            o.AddPolicy("admin", p => p.RequireScope("admin"));
        });

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", (ClaimsPrincipal user) => $"hello {user.FindFirstValue("sub")} via {user.FindFirstValue("client_id")} scope {user.FindFirstValue("scope")}").RequireAuthorization();
        app.MapGet("/write", () => "written").RequireAuthorization("write");
        app.MapGet("/admin", () => "admin").RequireAuthorization("admin");
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TesseraApi(app, new Uri(address));
    }

    /// <summary>GET <paramref name="path"/> with the token (none when null): status, body, WWW-Authenticate as sent.</summary>
    public async Task<(HttpStatusCode Status, string Body, string? Challenge)> GetAsync(string path, string? token)
    {
        using var http = new HttpClient { BaseAddress = Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        string? challenge = response.Headers.TryGetValues("WWW-Authenticate", out IEnumerable<string>? values) ? string.Join(", ", values) : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), challenge);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
