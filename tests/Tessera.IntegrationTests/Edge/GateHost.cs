using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.IntegrationTests.Support;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

/// <summary>
/// A real <c>tessera gate --config FILE</c> process on a free loopback port, in its own temp
/// directory; disposing kills exactly that process.
/// </summary>
public sealed class GateHost : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GateHost(Process process, int port, TempDir dir)
    {
        _process = process;
        Port = port;
        Dir = dir;
    }

    public int Port { get; }

    public TempDir Dir { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Writes auth.json (mode 0600) from <paramref name="config"/> plus gate.listen and security_log, then starts the gate.</summary>
    public static async Task<GateHost> StartAsync(JsonObject config)
    {
        var dir = new TempDir();
        int port = Server.TokenServer.FreePort();
        var gate = config["gate"] as JsonObject ?? [];
        config["gate"] = gate;
        gate["listen"] = $"http://127.0.0.1:{port}";
        config["security_log"] ??= dir["security.log"];
        string path = dir["auth.json"];
        File.WriteAllText(path, config.ToJsonString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        ProcessStartInfo start = ChildProcess.Info("dotnet", [Support.Cli.Dll, "gate", "--config", path], dir.Path);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("TESSERA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var process = new Process { StartInfo = start };
        var host = new GateHost(process, port, dir);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            await host.WaitForHealthAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    public async Task<HttpResponseMessage> SendAsync(string path, string? token = null, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await http.SendAsync(request);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
        Dir.Dispose();
    }

    private async Task WaitForHealthAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"tessera gate exited {_process.ExitCode} before /healthz answered:\n{Output}");
            }

            try
            {
                using HttpResponseMessage health = await SendAsync("/healthz");
                if (health.StatusCode == HttpStatusCode.OK)
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

        Assert.Fail("tessera gate did not answer /healthz in 60 s:\n" + Output);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
