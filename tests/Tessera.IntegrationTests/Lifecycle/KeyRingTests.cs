// docs/SPEC.md §5 "running services pick up rotated keys without a restart": a KeyRing held over a key
// directory sees what a separate `tessera rotate` process does. (The in-process KeyRing tests are
// in tests/Tessera.Tests/Lifecycle/KeyRingTests.cs.)
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Lifecycle;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Lifecycle;

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
        string a = Store.ActiveKid(path, T0);
        string b = Store.Kid(path, T0, KeyState.Next);
        var clock = new FakeClock(T0.ToUnixTimeSeconds());
        using var ring = new KeyRing(new KeyDirectory(path), clock, NoRescan);
        int changed = 0;
        ring.Changed += (_, _) => Interlocked.Increment(ref changed);
        Assert.Equal(a, ring.Active!.Metadata.Kid);
        Assert.Equal(Store.Sorted(a, b), Store.Published(ring));

        // Day 30: B activates, and the rotate run then publishes C.
        DateTimeOffset day30 = T0 + TimeSpan.FromDays(30);
        Outcome rotated = Proc.Tessera("rotate", "--keys", path, "--now", Proc.Unix(day30));
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        string c = Store.Kid(path, day30, KeyState.Next);
        Assert.True(Store.Eventually(() => ring.Keys.Any(k => k.Metadata.Kid == c)), $"the ring did not pick up {c} within 10 s");
        Assert.True(Volatile.Read(ref changed) >= 1);
        Assert.Null(ring.LastError);
        clock.Now = day30.ToUnixTimeSeconds();
        Assert.Equal(b, ring.Active!.Metadata.Kid);
        Assert.Equal(Store.Sorted(a, b, c), Store.Published(ring));

        // Emergency (after A's retirement): B is retired by another process; C signs at once,
        // a new next key D is published, and B leaves the ring.
        DateTimeOffset emergency = day30 + TimeSpan.FromHours(2);
        Outcome retired = Proc.Tessera("rotate", "--keys", path, "--retire", b, "--now", Proc.Unix(emergency));
        Assert.True(retired.ExitCode == 0, retired.ToString());
        Assert.Equal($"EMERGENCY: retired key {b}; it left the key set at once\n", retired.Stderr);
        string d = Store.Kid(path, emergency, KeyState.Next);
        clock.Now = emergency.ToUnixTimeSeconds();
        Assert.True(Store.Eventually(() => Store.Published(ring).SequenceEqual(Store.Sorted(c, d))), "the ring did not drop the retired key within 10 s");
        Assert.Equal(c, ring.Active!.Metadata.Kid);
        output.WriteLine($"Changed raised {changed} times");
    }
}
