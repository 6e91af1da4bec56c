// docs/SPEC.md §5 emergency retirement (`tessera rotate --retire KID`): the key leaves the JWKS at once;
// when it was the active key, the next key (or a new one) starts signing now.
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Lifecycle;

public sealed class EmergencyRetireTests
{
    private static readonly DateTimeOffset T0 = Store.T0;
    private static readonly DateTimeOffset Day30 = T0 + TimeSpan.FromDays(30);
    private static readonly TimeSpan RetireAfter = Store.Schedule.RetireAfter;

    [Fact]
    public void Retire_TheActiveKey_HandsSigningToTheNextKeyAtOnce_AndPublishesANewNext()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        (string a, string b) = (Kid(dir, T0, KeyState.Active), Kid(dir, T0, KeyState.Next));
        DateTimeOffset now = T0 + TimeSpan.FromDays(3);

        RotationPlan plan = dir.Retire(a, JwsAlgorithm.EdDSA, 4096, now);

        Assert.Equal($"EMERGENCY: retired key {a}; it left the key set at once", plan.Notes[0]);
        Assert.Equal(b, dir.ActiveAt(now)!.Metadata.Kid);
        Assert.Equal(now, dir.ActiveAt(now)!.Metadata.Activates);
        Assert.False(dir.PublishedAt(now).TryFind(a, out _));
        Assert.DoesNotContain(Store.Names(dir.Path), n => n.StartsWith(a, StringComparison.Ordinal));
        Store.AssertConsistent(dir.Path, now);
        string c = Kid(dir, now, KeyState.Next);
        Assert.Equal(now + TimeSpan.FromDays(30), Store.Metadata(dir.Path).Single(k => k.Kid == c).Activates);
    }

    [Fact]
    public void Retire_TheNextKey_RemovesIt_AndPublishesAReplacement()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        (string a, string b) = (Kid(dir, T0, KeyState.Active), Kid(dir, T0, KeyState.Next));
        DateTimeOffset now = T0 + TimeSpan.FromDays(10);

        dir.Retire(b, JwsAlgorithm.EdDSA, 4096, now);

        Assert.Equal(a, dir.ActiveAt(now)!.Metadata.Kid);
        Assert.False(dir.PublishedAt(now).TryFind(b, out _));
        List<KeyMetadata> keys = Store.AssertConsistent(dir.Path, now);
        KeyMetadata replacement = keys.Single(k => k.Kid != a);
        Assert.Equal(T0 + TimeSpan.FromDays(30), replacement.Activates); // the schedule is kept
        Assert.Equal(replacement.Activates + RetireAfter, keys.Single(k => k.Kid == a).Retires);
    }

    [Fact]
    public void Retire_AnUnknownKid_IsRefused_AndChangesNothing()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        SortedDictionary<string, string> before = Store.Snapshot(dir.Path);

        var ex = Assert.Throws<KeyException>(() => dir.Retire("no-such-kid", JwsAlgorithm.EdDSA, 4096, T0));
        Assert.Equal($"No key with kid no-such-kid in {dir.Path}", ex.Message);
        Assert.Equal(before, Store.Snapshot(dir.Path));
    }

    // Day 30 + 10 min: B has just started signing and A, the key it replaced, is still published
    // for A's last tokens. Retiring B must hand signing to the next key C, not back to A (the older
    // key, whose retirement would then be pushed a whole period later).
    [Fact]
    public void Retire_TheActiveKey_WhileItsPredecessorIsStillRetiring_HandsSigningToTheNextKey_NotBackToThePredecessor()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        dir.Rotate(JwsAlgorithm.EdDSA, 4096, Day30);
        string a = Kid(dir, Day30, KeyState.Retiring);
        string b = Kid(dir, Day30, KeyState.Active);
        string c = Kid(dir, Day30, KeyState.Next);
        DateTimeOffset now = Day30 + TimeSpan.FromMinutes(10);

        dir.Retire(b, JwsAlgorithm.EdDSA, 4096, now);

        Assert.False(dir.PublishedAt(now).TryFind(b, out _));
        Assert.Equal(Day30 + RetireAfter, Store.Metadata(dir.Path).Single(k => k.Kid == a).Retires);
        Assert.Equal(c, dir.ActiveAt(now)!.Metadata.Kid);
    }

    private static string Kid(KeyDirectory dir, DateTimeOffset at, KeyState state) => Store.Kid(dir.Path, at, state);
}
