// `tessera serve` without a configuration: the development profile, in a scratch working
// directory (its ./var), listening on a free loopback port instead of 8443 through the
// TESSERA_LISTEN and TESSERA_ISSUER overrides (README quick start), and started under umask 000,
// so that the mode of every file it writes is the mode the code asks for, not one the umask
// happened to narrow.
using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tessera.IntegrationTests.Server;

public sealed class DevelopmentServer : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;
    private HttpClient? _http;

    private DevelopmentServer(string workingDirectory, int port)
    {
        WorkingDirectory = workingDirectory;
        Url = $"https://127.0.0.1:{port}";
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // exec: the shell becomes tessera (same pid), so killing the process kills the server.
        foreach (string arg in new[] { "-c", "umask 000 && exec \"$0\" \"$@\"", "dotnet", Support.Cli.Dll, "serve" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("TESSERA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["TESSERA_LISTEN"] = Url;
        start.Environment["TESSERA_ISSUER"] = Url;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public string WorkingDirectory { get; }

    /// <summary>The listen address and issuer (https://127.0.0.1:PORT).</summary>
    public string Url { get; }

    public string Var => Path.Combine(WorkingDirectory, "var");

    public string CertPath => Path.Combine(Var, "tls", "server.crt");

    /// <summary>A client trusting exactly var/tls/server.crt, with host names checked.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("not started");

    /// <summary>The certificate the server presented in the last TLS handshake.</summary>
    public byte[]? PresentedCertificate { get; private set; }

    /// <summary>What the server printed so far (stdout and stderr).</summary>
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

    /// <summary>Starts the server in <paramref name="workingDirectory"/> and waits until /healthz answers over TLS.</summary>
    public static async Task<DevelopmentServer> StartAsync(string workingDirectory, int port)
    {
        var server = new DevelopmentServer(workingDirectory, port);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        server._process.StandardInput.Close();
        try
        {
            await server.WaitUntilHealthy();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Kills the server (and anything it started) and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilHealthy()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"tessera serve (development profile) exited {_process.ExitCode} before /healthz answered:\n{Output}");
            }

            if (File.Exists(CertPath))
            {
                var http = new HttpClient(TrustingHandler()) { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };
                try
                {
                    using HttpResponseMessage health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                    if (health.IsSuccessStatusCode)
                    {
                        _http = http;
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet, or the certificate is still being written
                }

                http.Dispose();
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the development profile did not answer /healthz on {Url} in 60 s:\n{Output}");
    }

    private SocketsHttpHandler TrustingHandler()
    {
        X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(CertPath);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false;
                    }

                    PresentedCertificate = certificate.GetRawCertData();
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                },
            },
        };
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
