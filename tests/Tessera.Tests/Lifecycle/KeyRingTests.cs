// docs/SPEC.md §5 "running services pick up rotated keys without a restart": a KeyRing held over a key
// directory switches keys at their scheduled time with no file change, and keeps its last good keys
// when the directory goes bad. (That it sees what a separate `tessera rotate` process does is an
// integration test: tests/Tessera.IntegrationTests/Lifecycle/KeyRingTests.cs.)
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Lifecycle;

public sealed class KeyRingTests
{
    private static readonly DateTimeOffset T0 = Store.T0;

    // The periodic rescan is set to an hour, so what the ring sees within seconds came through
    // file-system events.
    private static readonly TimeSpan NoRescan = TimeSpan.FromHours(1);

    [Fact]
    public void KeyRing_SwitchesToTheNextKeyAtItsActivationTime_WithNoFileChange()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        new KeyDirectory(path).Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        string a = Store.ActiveKid(path, T0);
        string b = Store.Kid(path, T0, KeyState.Next);
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
        Assert.Equal(Store.Sorted(a, b), Store.Published(ring));
        clock.Now = retirement.ToUnixTimeSeconds();
        Assert.Equal([b], Store.Published(ring));
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
        string a = Store.ActiveKid(path, T0);
        string b = Store.Kid(path, T0, KeyState.Next);
        using var ring = new KeyRing(new KeyDirectory(path), new FakeClock(T0.ToUnixTimeSeconds()), NoRescan);
        string file = Path.Combine(path, a + ".key.pem");

        File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("644", 8));
        Assert.False(ring.Reload());
        Assert.Equal($"{file} is accessible by group or others (mode 0644); run 'chmod 600 {file}'", Assert.IsType<KeyException>(ring.LastError).Message);
        Assert.Equal(a, ring.Active!.Metadata.Kid);
        Assert.Equal(Store.Sorted(a, b), Store.Published(ring));

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
        string a = Store.ActiveKid(path, T0);
        string b = Store.Kid(path, T0, KeyState.Next);
        using var ring = new KeyRing(new KeyDirectory(path), new FakeClock(T0.ToUnixTimeSeconds()), NoRescan);
        string garbage = Path.Combine(path, "garbage.json");

        // The watcher's own reload fails and records why, keeping the keys.
        File.WriteAllText(garbage, "{\"kid\": ");
        Assert.True(Store.Eventually(() => ring.LastError is not null), "the watcher did not try the broken directory within 10 s");
        Assert.False(ring.Reload());
        Assert.StartsWith($"{garbage}: key metadata is not valid", Assert.IsType<KeyException>(ring.LastError).Message, StringComparison.Ordinal);
        Assert.Equal(a, ring.Active!.Metadata.Kid);
        Assert.Equal(Store.Sorted(a, b), Store.Published(ring));

        // Removing it: the watcher recovers by itself.
        File.Delete(garbage);
        Assert.True(Store.Eventually(() => ring.LastError is null), "the watcher did not recover within 10 s");
        Assert.True(ring.Reload());
        Assert.Equal(Store.Sorted(a, b), Store.Published(ring));
    }

    [Fact]
    public void KeyRing_KeepsTheLastGoodKeys_WhenAKeyFileIsDeletedUnderIt()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        new KeyDirectory(path).Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        string a = Store.ActiveKid(path, T0);
        string b = Store.Kid(path, T0, KeyState.Next);
        using var ring = new KeyRing(new KeyDirectory(path), new FakeClock(T0.ToUnixTimeSeconds()), NoRescan);
        string file = Path.Combine(path, b + ".key.pem");
        byte[] bytes = File.ReadAllBytes(file);

        File.Delete(file);
        Assert.False(ring.Reload());
        Assert.Equal($"{file} is missing (metadata names kid {b})", Assert.IsType<KeyException>(ring.LastError).Message);
        Assert.Equal(Store.Sorted(a, b), Store.Published(ring));

        File.WriteAllBytes(file, bytes);
        File.SetUnixFileMode(file, Store.Private);
        Assert.True(ring.Reload());
        Assert.Null(ring.LastError);
    }
}
