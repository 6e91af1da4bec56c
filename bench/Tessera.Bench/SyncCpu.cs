// The CPU a validator spends following the shared Redis deny list (revocation issue): two modes of
// one program, run as two processes by bench/load/revocation-sync.sh.
//   --follow URL SECONDS        a validator's copy (RedisRevocationStore, max_staleness 5 s) that
//                               does nothing else; prints its own CPU time and what it learned
//   --flood URL RATE SECONDS    a writer revoking RATE fresh jtis per second (write-only store)
using System.Diagnostics;
using StackExchange.Redis;
using Tessera.Revocation.Redis;

namespace Tessera.Bench;

public static class SyncCpu
{
    public static void Follow(string url, int seconds)
    {
        using RedisRevocationStore store = RedisRevocationStore.Connect(Options(url), new RedisRevocationOptions { MaxStaleness = TimeSpan.FromSeconds(5), RequireConnection = true }, TimeProvider.System);
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
        int start = store.Mirror.Count;
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        int learned = store.Mirror.Count - start;
        Console.WriteLine($"follower: {cpu.TotalMilliseconds:F0} ms CPU in {seconds} s ({cpu.TotalMilliseconds / seconds / 10:F2} % of one core); learned {learned} revocations; stale at the end: {store.Mirror.IsStale}");
    }

    public static void Flood(string url, int rate, int seconds)
    {
        using RedisRevocationStore store = RedisRevocationStore.Connect(Options(url), new RedisRevocationOptions { RequireConnection = true, WriteOnly = true }, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        DateTimeOffset until = TimeProvider.System.GetUtcNow().AddHours(1);
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            long due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                store.Revoke(Guid.NewGuid().ToString("N"), until);
            }

            Thread.Sleep(5);
        }

        Console.WriteLine($"writer: {sent} revocations in {clock.Elapsed.TotalSeconds:F1} s ({sent / clock.Elapsed.TotalSeconds:F0}/s)");
    }

    private static ConfigurationOptions Options(string url)
    {
        var uri = new Uri(url);
        var options = new ConfigurationOptions { AbortOnConnectFail = false };
        options.EndPoints.Add(uri.Host, uri.Port);
        return options;
    }
}
