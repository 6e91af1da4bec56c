using System.Diagnostics;
using Tessera.Revocation;
using static Tessera.IntegrationTests.Revocation.RevocationKit;

namespace Tessera.IntegrationTests.Revocation;

/// <summary>
/// How fast a revocation reaches 8 validators (each its own Redis connection and mirror, as 8
/// processes would have), measured from the moment the writer's Revoke returns until each
/// validator refuses the jti. Prints p50/p99 (docs/benchmarks.md) and holds p99 to max_staleness.
/// </summary>
public sealed class PropagationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Propagation_ToEightValidators_P99WithinMaxStaleness()
    {
        using var redis = new RedisServer();
        var validators = Enumerable.Range(0, 8).Select(_ => Follow(redis.Url, MaxStaleness)).ToList();
        using IRevocationStore writer = Follow(redis.Url, MaxStaleness);
        try
        {
            var delays = new List<double>();
            for (int i = 0; i < 60; i++)
            {
                string jti = "propagation-" + i;
                var pending = new HashSet<int>(Enumerable.Range(0, validators.Count));
                writer.Revoke(jti, DateTimeOffset.FromUnixTimeSeconds(Now + 600));
                var clock = Stopwatch.StartNew();
                while (pending.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
                {
                    foreach (int v in pending.Where(v => validators[v].IsRevoked(jti)).ToList())
                    {
                        delays.Add(clock.Elapsed.TotalMilliseconds);
                        pending.Remove(v);
                    }

                    await Task.Delay(1);
                }

                Assert.True(pending.Count == 0, $"{pending.Count} validators never saw {jti}");
                await Task.Delay(20);
            }

            delays.Sort();
            double p50 = delays[delays.Count / 2];
            double p99 = delays[(int)Math.Ceiling(delays.Count * 0.99) - 1];
            output.WriteLine($"propagation to 8 validators over {delays.Count} observations: p50 {p50:F1} ms, p99 {p99:F1} ms, max {delays[^1]:F1} ms");
            Console.WriteLine($"[propagation] 8 validators, {delays.Count} observations: p50 {p50:F1} ms, p99 {p99:F1} ms, max {delays[^1]:F1} ms");
            Assert.True(p99 <= MaxStaleness.TotalMilliseconds, $"p99 {p99:F0} ms is over max_staleness");
        }
        finally
        {
            validators.ForEach(v => v.Dispose());
        }
    }
}
