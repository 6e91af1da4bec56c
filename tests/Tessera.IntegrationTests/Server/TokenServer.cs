// A REAL token service for the server tests: `dotnet tessera.dll serve --config auth.json` as a
// child process on a free loopback port, over real TLS 1.3 with a certificate made by openssl,
// keys made by `tessera rotate`, clients registered by `tessera client add`, the SQLite
// revocation store and the security log in a scratch directory under /var/tmp. One instance per
// test class (xunit class fixture); subclasses say how their configuration differs.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Server;

using Cli = Tessera.IntegrationTests.Support.Cli;

/// <summary>A client to register: with a generated secret, or with a jose-made key for private_key_jwt.</summary>
public sealed record ClientSpec(string Id, string[] Scopes, string[] Audiences, bool PrivateKeyJwt = false);

public abstract partial class TokenServer : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private Process? _process;
    private X509Certificate2? _root;

    public TempDir Dir { get; } = new();

    public int Port { get; private set; }

    public string Issuer => $"https://127.0.0.1:{Port}";

    public string JwksUri => Issuer + "/.well-known/jwks.json";

    public string CertPath => Dir["cert.pem"];

    public string ConfigPath => Dir["auth.json"];

    public string KeysDir => Dir["keys"];

    public string SecurityLogPath => Dir["security.log"];

    /// <summary>Client secrets as printed (once) by <c>tessera client add</c>.</summary>
    public Dictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Every access token and client assertion a test saw or sent (for the log checks).</summary>
    public ConcurrentBag<string> SeenTokens { get; } = [];

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The running server process's id.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("not started");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What the server printed so far (stdout and stderr): the security log echo for journald.</summary>
    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    protected virtual string Alg => "ES256";

    /// <summary>The clock for the first <c>tessera rotate</c> (null: now), asked right before the keys are made.</summary>
    protected virtual long? KeysNow() => null;

    protected virtual IEnumerable<ClientSpec> Clients =>
        [new("svc", ["read", "write"], ["api"]), new("other", ["read"], ["api"])];

    /// <summary>Changes to the base configuration (issuance policy and the like).</summary>
    protected virtual void Configure(JsonObject config)
    {
    }

    public async Task InitializeAsync()
    {
        Port = FreePort();
        MakeCertificate();
        WriteConfig();
        foreach (ClientSpec client in Clients)
        {
            Register(client);
        }

        // Last before the start, so a schedule relative to "now" (RotatingServer) starts with the server.
        MakeKeys();
        await StartAsync();
    }

    public Task DisposeAsync()
    {
        Stop();
        Http?.Dispose();
        _root?.Dispose();
        Dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Kills the server (SIGKILL: no graceful shutdown) and starts it again with the same config and port.</summary>
    public async Task RestartAsync()
    {
        Stop();
        await StartAsync();
    }

    /// <summary>The directory holding a private_key_jwt client's jose key (private.jwk.json, jwks.json).</summary>
    public string ClientKeyDir(string clientId) => Dir["client-" + clientId];

    /// <summary>Secret of <paramref name="clientId"/>, for client_secret_basic / client_secret_post.</summary>
    public string Secret(string clientId) => Secrets[clientId];

    /// <summary>A loopback TCP port nothing listened on a moment ago.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void MakeCertificate()
    {
        Processes.Outcome openssl = Processes.Run("openssl",
        [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2",
            "-keyout", Dir["key.pem"], "-out", CertPath,
        ]);
        Assert.True(openssl.ExitCode == 0, "openssl req failed: " + openssl.Stderr);
        _root = X509Certificate2.CreateFromPem(File.ReadAllText(CertPath));
    }

    private void MakeKeys()
    {
        List<string> args = ["rotate", "--keys", KeysDir, "--alg", Alg];
        if (Alg.StartsWith("RS", StringComparison.Ordinal) || Alg.StartsWith("PS", StringComparison.Ordinal))
        {
            args.AddRange(["--bits", "2048"]);
        }

        if (KeysNow() is long now)
        {
            args.AddRange(["--now", now.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        Cli.Outcome rotate = Cli.Run(args);
        Assert.True(rotate.ExitCode == 0, "tessera rotate failed: " + rotate.Stderr);
    }

    private void WriteConfig()
    {
        var config = new JsonObject
        {
            ["issuer"] = Issuer,
            ["audiences"] = new JsonArray("api", "billing"),
            ["allowed_algs"] = new JsonArray(Alg),
            ["signing_alg"] = Alg,
            ["listen"] = Issuer,
            ["keys"] = new JsonObject { ["dir"] = KeysDir },
            ["revocation"] = new JsonObject { ["store"] = "sqlite:" + Dir["revocations.db"] },
            ["tls"] = new JsonObject { ["cert"] = CertPath, ["key"] = Dir["key.pem"] },
            ["security_log"] = SecurityLogPath,
            ["clients"] = new JsonArray(),
        };
        Configure(config);
        File.WriteAllText(ConfigPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private void Register(ClientSpec client)
    {
        List<string> args = ["client", "add", client.Id, "--config", ConfigPath];
        args.AddRange(client.Scopes.SelectMany(s => new[] { "--scope", s }));
        args.AddRange(client.Audiences.SelectMany(a => new[] { "--audience", a }));
        if (client.PrivateKeyJwt)
        {
            string keyDir = ClientKeyDir(client.Id);
            Directory.CreateDirectory(keyDir);
            Processes.Node("client-assertion.mjs", ["keygen", "--alg", "ES256", "--out", keyDir]);
            args.AddRange(["--jwks", Path.Combine(keyDir, "jwks.json")]);
        }

        Cli.Outcome added = Cli.Run(args);
        Assert.True(added.ExitCode == 0, $"tessera client add {client.Id} failed: {added.Stderr}");
        if (!client.PrivateKeyJwt)
        {
            Match secret = SecretLine().Match(added.Stdout);
            Assert.True(secret.Success, "tessera client add printed no secret: " + added.Stdout);
            Secrets[client.Id] = secret.Groups[1].Value;
        }
    }

    private async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Dir.Path,
        };
        start.ArgumentList.Add(Cli.Dll);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(ConfigPath);

        // Only auth.json configures the server: TESSERA_* overrides of the test host stay out.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("TESSERA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        _process = process;

        Http?.Dispose();
        Http = new HttpClient(TrustingHandler()) { BaseAddress = new Uri(Issuer), Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilHealthy(process);
    }

    private async Task WaitUntilHealthy(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                Assert.Fail($"tessera serve exited {process.ExitCode} before /healthz answered:\n{Output}");
            }

            try
            {
                using HttpResponseMessage health = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
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

        Stop();
        Assert.Fail("tessera serve did not answer /healthz in 90 s:\n" + Output);
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>An HTTP handler that trusts exactly this server's self-signed certificate (custom root), with host names checked.</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(_root!);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            },
        },
    };

    [GeneratedRegex(@"secret \(shown once[^)]*\): (\S+)")]
    private static partial Regex SecretLine();
}
