// Run: dotnet run -c Release --project bench/Tessera.Bench -- --mirror-memory
// The managed memory a RevocationMirror holds for 1,000,000 revoked jtis (UUID-like text, as
// the token service mints them), beside a plain HashSet<string> of the same strings: both
// measured as the live heap after a full collection, minus the heap before.
using Tessera.Revocation;

namespace Tessera.Bench;

public static class MirrorMemory
{
    public static void Run(int count = 1_000_000)
    {
        long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        long baseline = Live();
        string[] jtis = [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString("N"))];
        long strings = Live();

        var set = new HashSet<string>(jtis, StringComparer.Ordinal);
        long withSet = Live() - strings;
        GC.KeepAlive(set);
        set = null;

        var mirror = new RevocationMirror(TimeProvider.System, TimeSpan.FromSeconds(5));
        foreach (string jti in jtis)
        {
            mirror.Apply(RevocationEntry.ForJti(jti, now + 3600));
        }

        long withMirror = Live() - strings;
        GC.KeepAlive(mirror);
        long texts = strings - baseline;
        Console.WriteLine($"{count:N0} jtis: the strings themselves {Mib(texts)} MiB");
        Console.WriteLine($"HashSet<string> (baseline): {Mib(withSet)} MiB beyond the strings");
        Console.WriteLine($"RevocationMirror:           {Mib(withMirror)} MiB beyond the strings ({mirror.Count:N0} entries), {Mib(withMirror + texts)} MiB with them");
        GC.KeepAlive(jtis);
    }

    private static long Live()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
