// docs/SPEC.md §5 rotation, replayed through the real CLI: 65 days of daily `tessera rotate --now`,
// every token verifiable against every JWKS published during its lifetime, and a second rotate at
// the same moment changing nothing. (The library replay is in tests/Tessera.Tests/Lifecycle/RotationReplayTests.cs.)
using Tessera.Keys;
using Tessera.Tests.Lifecycle;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Lifecycle;

public sealed class RotationReplayTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Day = Replay.Day;

    [Fact]
    public void RotateCli_Daily_For65Days_WithNow_KeepsEveryTokenValidUntilExpiry()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        var dir = new KeyDirectory(path);
        var replay = new Replay(dir);
        var changedOn = new List<int>();
        replay.Run(65, (day, now) =>
        {
            Outcome o = Proc.Tessera("rotate", "--keys", path, "--now", Proc.Unix(now));
            Assert.True(o.ExitCode == 0, $"day {day}: {o}");
            Assert.Equal("", o.Stderr);
            if (o.Stdout != "nothing to do\n")
            {
                changedOn.Add(day);
            }
        });

        output.WriteLine($"issued {replay.Issued}, verified {replay.Verified}, refused after retirement {replay.RefusedAfterRetirement}");
        Assert.Equal(65 * 5, replay.Issued);
        Assert.Equal(3 * replay.Issued, replay.Verified);
        Assert.Equal([0, 30, 31, 60, 61], changedOn);
        List<KeyMetadata> keys = [.. replay.Known.Values.OrderBy(k => k.Activates)];
        Assert.Equal([0, 30, 60, 90], keys.Select(k => (int)(k.Activates - Store.T0).TotalDays));
        Assert.Equal(keys.Take(2).Select(k => k.Kid), replay.Removed);
        Assert.Equal(2, replay.RefusedAfterRetirement);
        Assert.Equal(
            new[] { ".lock" }.Concat(keys.Skip(2).SelectMany(k => Store.FilesOf(k.Kid))).Order(StringComparer.Ordinal),
            Store.Names(path));
    }

    [Fact]
    public void RotateCli_TwiceAtTheSameNow_ChangesNoByte_AndSaysNothingToDo()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        foreach (int day in new[] { 0, 1, 30, 31, 45 })
        {
            string now = Proc.Unix(Store.T0 + (day * Day));
            Outcome first = Proc.Tessera("rotate", "--keys", path, "--now", now);
            Assert.True(first.ExitCode == 0, first.ToString());
            SortedDictionary<string, string> before = Store.Snapshot(path);
            Outcome second = Proc.Tessera("rotate", "--keys", path, "--now", now);
            Assert.Equal(new Outcome(0, "nothing to do\n", ""), second);
            Assert.Equal(before, Store.Snapshot(path));
        }
    }
}
