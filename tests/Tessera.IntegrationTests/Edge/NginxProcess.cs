// The real Debian nginx (nginx-light, /usr/sbin/nginx) running samples/nginx/tessera-gate.conf
// in a scratch prefix: an nginx.conf of the test's own (daemon off, pid, logs and temp paths in
// the scratch directory) includes the sample with only its placeholder addresses replaced.
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class NginxProcess : IDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly LiveProcess _process;

    private NginxProcess(LiveProcess process, int port, string errorLog)
    {
        _process = process;
        Port = port;
        ErrorLog = errorLog;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public string ErrorLog { get; }

    /// <summary>What nginx printed and logged (for failure messages).</summary>
    public string Diagnostics => _process.Output + (File.Exists(ErrorLog) ? File.ReadAllText(ErrorLog) : "");

    public static async Task<NginxProcess> StartAsync(TempDir dir, int gatePort, Uri upstream)
    {
        int port = TokenServer.FreePort();
        string prefix = dir["nginx"];
        Directory.CreateDirectory(prefix);
        string site = Samples.Template(Samples.Path("nginx", "tessera-gate.conf"),
            (Samples.NginxListen, $"127.0.0.1:{port}"),
            (Samples.NginxGate, $"127.0.0.1:{gatePort}"),
            (Samples.NginxUpstream, $"{upstream.Host}:{upstream.Port}"));
        File.WriteAllText(Path.Combine(prefix, "tessera-gate.conf"), site);
        string errorLog = Path.Combine(prefix, "error.log");
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{errorLog}} info;
            events { worker_connections 256; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/tessera-gate.conf;
            }
            """);

        LiveProcess process = LiveProcess.Start("nginx", Binary, ["-p", prefix + "/", "-e", errorLog, "-c", Path.Combine(prefix, "nginx.conf")], prefix);
        var nginx = new NginxProcess(process, port, errorLog);
        try
        {
            await process.WaitForPortAsync(port);
        }
        catch
        {
            nginx.Dispose();
            throw;
        }

        return nginx;
    }

    public void Dispose() => _process.Dispose();
}
