// A minimal ASP.NET Core resource server, in process, configured the stock way: AddJwtBearer with
// Authority = our issuer and Audience, nothing else about tokens. Keys, issuer and algorithms come
// from discovery (/.well-known/openid-configuration -> jwks_uri) alone.
//
// What had to be set: only Authority, Audience and BackchannelHttpHandler (to trust the test's
// self-signed certificate; a real deployment with a CA-issued certificate needs none).
// TokenValidationParameters.ValidTypes is left at its default (empty), under which
// Microsoft.IdentityModel 8.x accepts any typ, so "at+jwt" (RFC 9068) passes as is.
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Tests.Interop;

namespace Tessera.IntegrationTests.Server;

public sealed class ResourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResourceServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ResourceServer> StartAsync(string authority, string audience, HttpMessageHandler backchannel)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = authority;
            o.Audience = audience;
            o.BackchannelHttpHandler = backchannel;
        });
        builder.Services.AddAuthorization();

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/data", (ClaimsPrincipal user) => "hello " + user.FindFirstValue(ClaimTypes.NameIdentifier)).RequireAuthorization();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ResourceServer(app, new Uri(address));
    }

    /// <summary>GET /data with <c>Authorization: Bearer TOKEN</c>: status and body.</summary>
    public async Task<(System.Net.HttpStatusCode Status, string Body, string? Challenge)> GetDataAsync(string token)
    {
        using var http = new HttpClient { BaseAddress = Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/data", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.WwwAuthenticate.FirstOrDefault()?.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Stock JwtBearer accepts the server's token through discovery alone, and refuses tampered ones.</summary>
    public static async Task AssertAcceptsAndRefusesTampered(TokenServer server, string expectedAlg)
    {
        string token = await server.TokenAsync("svc");
        Assert.Equal(expectedAlg, Jwt.Header(token).GetProperty("alg").GetString());
        await using ResourceServer api = await StartAsync(server.Issuer, "api", server.TrustingHandler());

        (System.Net.HttpStatusCode status, string body, _) = await api.GetDataAsync(token);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal("hello svc", body);

        string tamperedPayload = Tamper.Payload(token, "\"sub\":\"svc\"", "\"sub\":\"admin\"");
        string tamperedSignature = Tamper.SignatureBit(token);
        foreach (string tampered in new[] { tamperedPayload, tamperedSignature })
        {
            (System.Net.HttpStatusCode refused, string refusedBody, string? challenge) = await api.GetDataAsync(tampered);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused);
            Assert.Equal("", refusedBody);
            Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
            Assert.Contains("invalid_token", challenge, StringComparison.Ordinal);
        }

        // Audience checked too: an API that is "billing" refuses the token made for "api".
        await using ResourceServer billing = await StartAsync(server.Issuer, "billing", server.TrustingHandler());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await billing.GetDataAsync(token)).Status);
    }
}
