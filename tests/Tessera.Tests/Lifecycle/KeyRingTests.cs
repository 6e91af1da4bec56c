// docs/SPEC.md §5 "running services pick up rotated keys without a restart": a KeyRing held over a key
// directory sees what a separate `tessera rotate` process does, switches keys at their scheduled
// time with no file change, and keeps its last good keys when the directory goes bad.
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Lifecycle;

public sealed class KeyRingTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = Store.T0;

    // The periodic rescan is set to an hour, so what the ring sees within seconds came through
    // file-system events.
    private static readonly TimeSpan NoRescan = TimeSpan.FromHours(1);

    [Fact]
    public void KeyRing_SeesARotationByAnotherProcess_WithoutRestart()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        new KeyDirectory(path).Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        string a = Active(path, T0);
        string b = Next(path, T0);
        var clock = new FakeClock(T0.ToUnixTimeSeconds());
        using var ring = new KeyRing(new KeyDirectory(path), clock, NoRescan);
        int changed = 0;
        ring.Changed += (_, _) => Interlocked.Increment(ref changed);
        Assert.Equal(a, ring.Active!.Metadata.Kid);
        Assert.Equal(Sorted(a, b), Published(ring));

        // Day 30: B activates, and the rotate run then publishes C.
        DateTimeOffset day30 = T0 + TimeSpan.FromDays(30);
        Outcome rotated = Proc.Tessera("rotate", "--keys", path, "--now", Proc.Unix(day30));
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        string c = Next(path, day30);
        Assert.True(Store.Eventually(() => ring.Keys.Any(k => k.Metadata.Kid == c)), $"the ring did not pick up {c} within 10 s");
        Assert.True(Volatile.Read(ref changed) >= 1);
        Assert.Null(ring.LastError);
        clock.Now = day30.ToUnixTimeSeconds();
        Assert.Equal(b, ring.Active!.Metadata.Kid);
        Assert.Equal(Sorted(a, b, c), Published(ring));

        // Emergency (after A's retirement): B is retired by another process; C signs at once,
        // a new next key D is published, and B leaves the ring.
        DateTimeOffset emergency = day30 + TimeSpan.FromHours(2);
        Outcome retired = Proc.Tessera("rotate", "--keys", path, "--retire", b, "--now", Proc.Unix(emergency));
        Assert.True(retired.ExitCode == 0, retired.ToString());
        Assert.Equal($"EMERGENCY: retired key {b}; it left the key set at once\n", retired.Stderr);
        string d = Next(path, emergency);
        clock.Now = emergency.ToUnixTimeSeconds();
        Assert.True(Store.Eventually(() => Published(ring).SequenceEqual(Sorted(c, d))), "the ring did not drop the retired key within 10 s");
        Assert.Equal(c, ring.Active!.Metadata.Kid);
        output.WriteLine($"Changed raised {changed} times");
    }

    [Fact]
    public void KeyRing_SwitchesToTheNextKeyAtItsActivationTime_WithNoFileChange()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        new KeyDirectory(path).Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        string a = Active(path, T0);
        string b = Next(path, T0);
        SortedDictionary<string, string> files = Store.Snapshot(path);
        var clock = new FakeClock(T0.ToUnixTimeSeconds());
        using var ring = new KeyRing(new KeyDirectory(path), clock, NoRescan);
        int changed = 0;
        ring.Changed += (_, _) => Interlocked.Increment(ref changed);
        DateTimeOffset loadedAt = ring.LoadedAt;
        DateTimeOffset activation = T0 + TimeSpan.FromDays(30);
        DateTimeOffset retirement = activation + Store.Schedule.RetireAfter;

        clock.Now = activation.ToUnixTimeSeconds() - 1;
        Assert.Equal(a, ring.Active!.Metadata.Kid);
        clock.Now = activation.ToUnixTimeSeconds();
        Assert.Equal(b, ring.Active!.Metadata.Kid);
        clock.Now = retirement.ToUnixTimeSeconds() - 1;
        Assert.Equal(Sorted(a, b), Published(ring));
        clock.Now = retirement.ToUnixTimeSeconds();
        Assert.Equal([b], Published(ring));
        Assert.Equal(b, ring.Active!.Metadata.Kid);

        // Nothing was reloaded and nothing on disk changed: the switch came from the metadata.
        Assert.Equal(0, Volatile.Read(ref changed));
        Assert.Equal(loadedAt, ring.LoadedAt);
        Assert.Equal(files, Store.Snapshot(path));
    }

    [Fact]
    public void KeyRing_KeepsTheLastGoodKeys_WhenAPrivateKeyBecomesReadableByOthers_AndRecovers()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        new KeyDirectory(path).Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        string a = Active(path, T0);
        string b = Next(path, T0);
        using var ring = new KeyRing(new KeyDirectory(path), new FakeClock(T0.ToUnixTimeSeconds()), NoRescan);
        string file = Path.Combine(path, a + ".key.pem");

        File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("644", 8));
        Assert.False(ring.Reload());
        Assert.Equal($"{file} is accessible by group or others (mode 0644); run 'chmod 600 {file}'", Assert.IsType<KeyException>(ring.LastError).Message);
        Assert.Equal(a, ring.Active!.Metadata.Kid);
        Assert.Equal(Sorted(a, b), Published(ring));

        File.SetUnixFileMode(file, Store.Private);
        Assert.True(ring.Reload());
        Assert.Null(ring.LastError);
        Assert.Equal(a, ring.Active!.Metadata.Kid);
    }

    [Fact]
    public void KeyRing_KeepsTheLastGoodKeys_WhenAGarbageMetadataFileAppears_AndRecoversWhenItGoes()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        new KeyDirectory(path).Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        string a = Active(path, T0);
        string b = Next(path, T0);
        using var ring = new KeyRing(new KeyDirectory(path), new FakeClock(T0.ToUnixTimeSeconds()), NoRescan);
        string garbage = Path.Combine(path, "garbage.json");

        // The watcher's own reload fails and records why, keeping the keys.
        File.WriteAllText(garbage, "{\"kid\": ");
        Assert.True(Store.Eventually(() => ring.LastError is not null), "the watcher did not try the broken directory within 10 s");
        Assert.False(ring.Reload());
        Assert.StartsWith($"{garbage}: key metadata is not valid", Assert.IsType<KeyException>(ring.LastError).Message, StringComparison.Ordinal);
        Assert.Equal(a, ring.Active!.Metadata.Kid);
        Assert.Equal(Sorted(a, b), Published(ring));

        // Removing it: the watcher recovers by itself.
        File.Delete(garbage);
        Assert.True(Store.Eventually(() => ring.LastError is null), "the watcher did not recover within 10 s");
        Assert.True(ring.Reload());
        Assert.Equal(Sorted(a, b), Published(ring));
    }

    [Fact]
    public void KeyRing_KeepsTheLastGoodKeys_WhenAKeyFileIsDeletedUnderIt()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        new KeyDirectory(path).Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        string a = Active(path, T0);
        string b = Next(path, T0);
        using var ring = new KeyRing(new KeyDirectory(path), new FakeClock(T0.ToUnixTimeSeconds()), NoRescan);
        string file = Path.Combine(path, b + ".key.pem");
        byte[] bytes = File.ReadAllBytes(file);

        File.Delete(file);
        Assert.False(ring.Reload());
        Assert.Equal($"{file} is missing (metadata names kid {b})", Assert.IsType<KeyException>(ring.LastError).Message);
        Assert.Equal(Sorted(a, b), Published(ring));

        File.WriteAllBytes(file, bytes);
        File.SetUnixFileMode(file, Store.Private);
        Assert.True(ring.Reload());
        Assert.Null(ring.LastError);
    }

    private static string Active(string path, DateTimeOffset at) => KeyLifecycle.Active(Store.Metadata(path), at)!.Kid;

    private static string Next(string path, DateTimeOffset at)
    {
        List<KeyMetadata> all = Store.Metadata(path);
        return Assert.Single(all, k => KeyLifecycle.StateOf(k, all, at) == KeyState.Next).Kid;
    }

    private static List<string> Published(KeyRing ring) => [.. ring.Published.Keys.Select(k => k.KeyId).Order(StringComparer.Ordinal)];

    private static List<string> Sorted(params string[] kids) => [.. kids.Order(StringComparer.Ordinal)];
}
