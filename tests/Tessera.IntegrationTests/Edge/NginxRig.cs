// One client-facing path of the nginx sample, all real processes: client -> nginx
// (samples/nginx/tessera-gate.conf) -> auth_request -> tessera gate (JWKS from the issuer
// fixture over TLS) -> the echo upstream. Stopped in reverse order at dispose, also on failure.
using System.Net.Http.Headers;
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class NginxRig : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly HttpClient _http;

    private NginxRig(TempDir dir, EchoUpstream upstream, GateProcess gate, NginxProcess nginx)
    {
        _dir = dir;
        Upstream = upstream;
        Gate = gate;
        Nginx = nginx;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public EchoUpstream Upstream { get; }

    public GateProcess Gate { get; }

    public NginxProcess Nginx { get; }

    /// <summary>What the gate and nginx printed and logged, for failure messages.</summary>
    public string Diagnostics => $"gate:\n{Gate.Output}\nnginx:\n{Nginx.Diagnostics}";

    public static async Task<NginxRig> StartAsync(TokenServer issuer, string[]? requiredScopes = null, string? jwksUri = null, bool expectKeys = true)
    {
        var dir = new TempDir();
        EchoUpstream? upstream = null;
        GateProcess? gate = null;
        try
        {
            upstream = await EchoUpstream.StartAsync();
            gate = await GateProcess.StartAsync(dir, "gate", issuer, jwksUri, requiredScopes, expectKeys);
            NginxProcess nginx = await NginxProcess.StartAsync(dir, gate.Port, upstream.Address);
            return new NginxRig(dir, upstream, gate, nginx);
        }
        catch
        {
            gate?.Dispose();
            if (upstream is not null)
            {
                await upstream.DisposeAsync();
            }

            dir.Dispose();
            throw;
        }
    }

    /// <summary>A request through nginx (or, with <paramref name="to"/>, straight to another address such as the gate's).</summary>
    public async Task<Reply> SendAsync(string path, string? token = null, IEnumerable<(string Name, string Value)>? headers = null, Uri? to = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(to ?? Nginx.Address, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach ((string name, string value) in headers ?? [])
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), "cannot send header " + name);
        }

        using HttpResponseMessage response = await _http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        var replyHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IEnumerable<string>> h in response.Headers.Concat(response.Content.Headers))
        {
            replyHeaders[h.Key] = string.Join(", ", h.Value);
        }

        return new Reply(response.StatusCode, replyHeaders, body);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        Nginx.Dispose();
        Gate.Dispose();
        await Upstream.DisposeAsync();
        _dir.Dispose();
    }
}
