// A real `tessera gate --config FILE` on a free loopback port, configured from
// samples/nginx/gate.auth.json with what must point at the test's issuer (issuer, gate.jwks,
// gate.cacert, its algorithm and audience) and the scratch paths (gate.listen, security_log)
// replaced; every other key stays as the sample has it.
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class GateProcess : IDisposable
{
    private readonly string _configPath;
    private readonly string _directory;
    private LiveProcess _process;

    private GateProcess(string name, string directory, string configPath, int port, LiveProcess process)
    {
        Name = name;
        _directory = directory;
        _configPath = configPath;
        Port = port;
        _process = process;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public string Output => _process.Output;

    /// <summary>
    /// Writes the configuration into <paramref name="dir"/> and starts the gate; waits for
    /// <c>/readyz</c> 200 (keys fetched), or with <paramref name="expectKeys"/> false only for <c>/healthz</c>.
    /// </summary>
    public static async Task<GateProcess> StartAsync(TempDir dir, string name, TokenServer issuer, string? jwksUri = null, string[]? requiredScopes = null, bool expectKeys = true, int? port = null, Action<JsonObject>? configure = null)
    {
        int listen = port ?? TokenServer.FreePort();
        JsonObject config = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "samples", "nginx", "gate.auth.json")))!.AsObject();
        config["issuer"] = issuer.Issuer;
        config["allowed_algs"] = new JsonArray("ES256");

        config["security_log"] = dir[name + "-security.log"];
        JsonObject gate = config["gate"]!.AsObject();
        gate["listen"] = $"http://127.0.0.1:{listen}";
        gate["jwks"] = jwksUri ?? issuer.JwksUri;
        gate["cacert"] = issuer.CertPath;
        gate["audiences"] = new JsonArray("api");
        if (requiredScopes is not null)
        {
            gate["required_scopes"] = new JsonArray([.. requiredScopes.Select(s => (JsonNode)s)]);
        }

        configure?.Invoke(config);
        string path = dir[name + ".auth.json"];
        File.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var gateProcess = new GateProcess(name, dir.Path, path, listen, Launch(name, path, dir.Path));
        try
        {
            await gateProcess.WaitUntilAsync(expectKeys ? "/readyz" : "/healthz");
        }
        catch
        {
            gateProcess.Dispose();
            throw;
        }

        return gateProcess;
    }

    /// <summary>SIGKILL.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Starts the gate again (after <see cref="Kill"/>) with the same configuration and port; waits for /readyz.</summary>
    public async Task RestartAsync()
    {
        _process.Dispose();
        _process = Launch(Name, _configPath, _directory);
        await WaitUntilAsync("/readyz");
    }

    public void Dispose() => _process.Dispose();

    private static LiveProcess Launch(string name, string configPath, string directory) =>
        LiveProcess.Tessera("tessera gate " + name, ["gate", "--config", configPath], directory);

    private async Task WaitUntilAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            _process.AssertRunning($"before {path} answered 200");
            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{_process.Name}: {path} did not answer 200 in 90 s:\n{Output}");
    }
}
