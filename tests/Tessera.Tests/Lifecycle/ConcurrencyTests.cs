// docs/SPEC.md §5 "a half-written key is never loaded", in process: readers take no lock, so a load
// racing a writer that removes retired keys must still succeed. (Real `tessera` processes racing on
// one directory, and one killed with SIGKILL mid-write, are integration tests:
// tests/Tessera.IntegrationTests/Lifecycle/ConcurrencyTests.cs.)
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Lifecycle;

public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    // Readers take no lock: loading while another writer removes a retired key must still give
    // the keys before or after the removal, never an error (the CLI's jwks and issue load this way).
    [Fact]
    public async Task Load_WhileRotateRemovesRetiredKeys_NeverFails()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Rotate(JwsAlgorithm.EdDSA, 4096, Store.T0);
        int loads = 0;
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();
        Task reader = Task.Run(() =>
        {
            var view = new KeyDirectory(dir.Path);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Assert.NotEmpty(view.Load());
                    Interlocked.Increment(ref loads);
                }
                catch (Exception ex) when (ex is KeyException or IOException)
                {
                    failures.Add(ex.GetType().Name + ": " + ex.Message);
                }
            }
        });
        Assert.True(Store.Eventually(() => Volatile.Read(ref loads) > 0));

        // Every 16 days: each second step creates a key, each other one removes a retired key.
        for (int step = 1; step <= 200; step++)
        {
            dir.Rotate(JwsAlgorithm.EdDSA, 4096, Store.T0 + TimeSpan.FromDays(16 * step));
        }

        await stop.CancelAsync();
        await reader;
        output.WriteLine($"{loads} loads, {failures.Count} failed; first: {failures.FirstOrDefault()}");
        Assert.Empty(failures);
    }
}
