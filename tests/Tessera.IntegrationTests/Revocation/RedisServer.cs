using System.Diagnostics;
using Tessera.IntegrationTests.Support;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Revocation;

/// <summary>
/// One real redis-server for one test: a free loopback port (never Redis's default), its own directory, AOF
/// with fsync on every write when persistent. Kill/Restart/Dispose act on exactly the process this
/// object started. A missing redis-server fails the test with how to install it.
/// </summary>
public sealed class RedisServer : IDisposable
{
    public const string Binary = "/usr/bin/redis-server";
    private const string CliBinary = "/usr/bin/redis-cli";
    private readonly TempDir _dir = new();
    private Process? _process;

    private readonly string[] _extra;

    public RedisServer(bool persistent = true, string? password = null, params string[] extra)
    {
        _extra = extra;
        if (!File.Exists(Binary) || !File.Exists(CliBinary))
        {
            Assert.Fail("redis-server is not installed: run 'bash scripts/test.sh' (it installs redis-server and redis-sentinel), or 'apt-get install redis-server redis-sentinel'.");
        }

        Persistent = persistent;
        Password = password;
        Start();
    }

    public int Port { get; private set; }

    public bool Persistent { get; set; }

    public string? Password { get; }

    public string Url => $"redis://{(Password is null ? "" : ":" + Password + "@")}127.0.0.1:{Port}";

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>SIGKILL: no shutdown, no save.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts again on the same port and directory (an AOF, when persistent, is replayed).</summary>
    public void Restart()
    {
        Kill();
        Start(Port);
    }

    /// <summary>Runs redis-cli against this server; returns its stdout, trimmed.</summary>
    public string Cli(params string[] args)
    {
        List<string> all = ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (Password is not null)
        {
            all.AddRange(["-a", Password, "--no-auth-warning"]);
        }

        (int exit, string stdout, string stderr) = ChildProcess.Run(ChildProcess.Info(CliBinary, [.. all, .. args]), timeoutSeconds: 20);
        Assert.True(exit == 0, $"redis-cli {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout.Trim();
    }

    public void Dispose()
    {
        Kill();
        _dir.Dispose();
    }

    private void Start(int? port = null)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            Port = port ?? Server.TokenServer.FreePort();
            var start = ChildProcess.Info(Binary,
            [
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--dir", _dir.Path, "--logfile", _dir["redis.log"], "--daemonize", "no", "--save", "",
                "--appendonly", Persistent ? "yes" : "no", "--appendfsync", "always",
                "--maxmemory-policy", "noeviction",
                .. Password is null ? Array.Empty<string>() : ["--requirepass", Password],
                .. _extra,
            ]);
            start.RedirectStandardInput = false;
            start.RedirectStandardOutput = false;
            start.RedirectStandardError = false;
            _process = Process.Start(start)!;
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(15) && !_process.HasExited)
            {
                if (Ping())
                {
                    return;
                }

                Thread.Sleep(50);
            }

            Kill();
        }

        Assert.Fail($"redis-server did not start on port {Port}: {(File.Exists(_dir["redis.log"]) ? File.ReadAllText(_dir["redis.log"]) : "no log")}");
    }

    private bool Ping()
    {
        List<string> all = ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (Password is not null)
        {
            all.AddRange(["-a", Password, "--no-auth-warning"]);
        }

        (int exit, string stdout, _) = ChildProcess.Run(ChildProcess.Info(CliBinary, [.. all, "PING"]), timeoutSeconds: 5);
        return exit == 0 && stdout.Trim() == "PONG";
    }
}
