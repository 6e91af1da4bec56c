using System.Diagnostics;
using Tessera.IntegrationTests.Support;
using Tessera.Revocation;
using Tessera.Tests.Support;
using static Tessera.IntegrationTests.Revocation.RevocationKit;

namespace Tessera.IntegrationTests.Revocation;

/// <summary>
/// redis-sentinel://: a primary, a replica and one Sentinel, all on free loopback ports. The
/// primary is SIGKILLed; Sentinel promotes the replica; the validator keeps what it knew, follows
/// the new primary without a restart, and sees revocations written there.
/// </summary>
public sealed class SentinelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(2);

    [Fact]
    public void Failover_TheValidatorFollowsTheNewPrimary_AndForgetsNothing()
    {
        using var primary = new RedisServer(persistent: true);
        using var replica = new RedisServer(persistent: true, password: null, "--replicaof", "127.0.0.1", Text(primary.Port));
        using var sentinel = new SentinelProcess(primary.Port);
        string url = $"redis-sentinel://127.0.0.1:{sentinel.Port}/tessera";
        Assert.NotNull(Within(TimeSpan.FromSeconds(15), () => replica.Cli("INFO", "replication").Contains("master_link_status:up", StringComparison.Ordinal), pollMs: 100));

        using IRevocationStore validator = Follow(url, MaxStaleness);
        using IRevocationStore writer = Follow(url, MaxStaleness);
        writer.Revoke("before-failover", DateTimeOffset.FromUnixTimeSeconds(Now + 600));
        Assert.NotNull(Within(MaxStaleness, () => validator.IsRevoked("before-failover")));
        Assert.NotNull(Within(TimeSpan.FromSeconds(5), () => replica.Cli("EXISTS", "tessera:revocation:jti:before-failover") == "1", pollMs: 50));

        primary.Kill();
        var clock = Stopwatch.StartNew();
        TimeSpan? promoted = Within(TimeSpan.FromSeconds(30), () => replica.Cli("ROLE").StartsWith("master", StringComparison.Ordinal), pollMs: 100);
        Assert.True(promoted is not null, "Sentinel did not promote the replica in 30 s: " + sentinel.Log);
        Assert.True(validator.IsRevoked("before-failover"));

        // Writes go to the new primary (retried while the client learns of the switch).
        TimeSpan? written = Within(TimeSpan.FromSeconds(20), () =>
        {
            try
            {
                writer.Revoke("after-failover", DateTimeOffset.FromUnixTimeSeconds(Now + 600));
                return true;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                return false;
            }
        }, pollMs: 200);
        Assert.True(written is not null, "no write reached the new primary in 20 s");
        TimeSpan? seen = Within(TimeSpan.FromSeconds(10), () => validator.IsRevoked("after-failover") && validator.Check("x", "s", "c", Now) == RevocationStatus.NotRevoked);
        output.WriteLine($"promoted after {promoted!.Value.TotalSeconds:F1} s; first write after {clock.Elapsed.TotalSeconds:F1} s; validator fresh again {seen?.TotalMilliseconds:F0} ms later");
        Assert.True(seen is not null, "the validator did not follow the new primary");
        Assert.True(validator.IsRevoked("before-failover"));
    }
}

/// <summary>One redis-sentinel monitoring "tessera" at 127.0.0.1:PRIMARY (quorum 1, 1 s down-after); killed at dispose.</summary>
public sealed class SentinelProcess : IDisposable
{
    private const string Binary = "/usr/bin/redis-sentinel";
    private readonly TempDir _dir = new();
    private readonly Process _process;

    public SentinelProcess(int primaryPort)
    {
        if (!File.Exists(Binary))
        {
            Assert.Fail("redis-sentinel is not installed: run 'bash scripts/test.sh' (it installs redis-server and redis-sentinel).");
        }

        Port = Server.TokenServer.FreePort();
        File.WriteAllText(_dir["sentinel.conf"], $"""
            port {Port}
            bind 127.0.0.1
            dir {_dir.Path}
            logfile {_dir["sentinel.log"]}
            sentinel monitor tessera 127.0.0.1 {primaryPort} 1
            sentinel down-after-milliseconds tessera 1000
            sentinel failover-timeout tessera 5000
            sentinel parallel-syncs tessera 1

            """);
        ProcessStartInfo start = ChildProcess.Info(Binary, [_dir["sentinel.conf"]]);
        start.RedirectStandardInput = false;
        start.RedirectStandardOutput = false;
        start.RedirectStandardError = false;
        _process = Process.Start(start)!;
        Assert.NotNull(Within(TimeSpan.FromSeconds(15), () =>
        {
            (int exit, string stdout, _) = ChildProcess.Run(ChildProcess.Info("/usr/bin/redis-cli", ["-h", "127.0.0.1", "-p", Text(Port), "SENTINEL", "get-master-addr-by-name", "tessera"]), timeoutSeconds: 5);
            return exit == 0 && stdout.Contains(Text(primaryPort), StringComparison.Ordinal);
        }, pollMs: 100));
    }

    public int Port { get; }

    public string Log => File.Exists(_dir["sentinel.log"]) ? File.ReadAllText(_dir["sentinel.log"]) : "";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _dir.Dispose();
    }
}
