// The protected upstream behind nginx: an in-process Kestrel on a free loopback port that answers
// every request 200 with the request headers it received as JSON (name -> every value), and
// counts the requests, so a test can say what reached it and whether anything did.
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.IntegrationTests.Edge;

public sealed class EchoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private EchoUpstream(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Requests that reached the upstream so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<EchoUpstream> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        var upstream = new EchoUpstream(app);
        app.Run(async http =>
        {
            Interlocked.Increment(ref upstream._requests);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase);
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(JsonSerializer.Serialize(headers));
        });
        await app.StartAsync();
        upstream.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return upstream;
    }

    /// <summary>The headers an echo body says the upstream received (names case-insensitive).</summary>
    public static Dictionary<string, string[]> Headers(string body) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string[]>>(body)!, StringComparer.OrdinalIgnoreCase);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
