// docs/SPEC.md §5 rotation, replayed: 120 days of daily `rotate` through the library; every token stays
// verifiable against every JWKS published during its lifetime, no key signs before it was published
// for the prepublish time, retired keys leave the JWKS and the disk, and the result does not depend
// on how often rotate runs. (The same replay through the real CLI is an integration test:
// tests/Tessera.IntegrationTests/Lifecycle/RotationReplayTests.cs.)
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Lifecycle;

public sealed class RotationReplayTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Day = Replay.Day;
    private static readonly TimeSpan RetireAfter = Store.Schedule.RetireAfter;

    [Fact]
    public void Rotate_Daily_For120Days_KeepsEveryTokenValidUntilExpiry_AndNeverSignsWithAnUnpublishedKey()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        var replay = new Replay(dir);
        var changedOn = new List<int>();
        replay.Run(120, (day, now) =>
        {
            RotationPlan plan = dir.Rotate(JwsAlgorithm.EdDSA, 4096, now);
            if (!plan.IsEmpty)
            {
                changedOn.Add(day);
            }

            // Idempotent: a second rotate at the same moment changes no byte and reports nothing.
            SortedDictionary<string, string> before = Store.Snapshot(dir.Path);
            RotationPlan again = dir.Rotate(JwsAlgorithm.EdDSA, 4096, now);
            Assert.True(again.IsEmpty, $"day {day}: second rotate changed {string.Join("; ", again.Notes)}");
            Assert.Empty(again.Notes);
            Assert.Equal(before, Store.Snapshot(dir.Path));
        });

        output.WriteLine($"issued {replay.Issued}, verified {replay.Verified}, refused after retirement {replay.RefusedAfterRetirement}; rotate changed the store on days {string.Join(",", changedOn)}");
        Assert.Equal(120 * 5, replay.Issued);
        Assert.Equal(3 * replay.Issued, replay.Verified);

        // Keys activate every 30 days from the first rotate; each retires RetireAfter after its
        // successor activates; each was published (first seen in a JWKS) 30 days before it signed.
        List<KeyMetadata> keys = [.. replay.Known.Values.OrderBy(k => k.Activates)];
        Assert.Equal([0, 30, 60, 90, 120, 150], keys.Select(k => (int)(k.Activates - Store.T0).TotalDays));
        for (int i = 0; i < keys.Count; i++)
        {
            Assert.Equal(i + 1 < keys.Count ? keys[i + 1].Activates + RetireAfter : null, keys[i].Retires);
            if (i > 0)
            {
                Assert.Equal(TimeSpan.FromDays(30), keys[i].Activates - replay.FirstSeen[keys[i].Kid]);
            }
        }

        Assert.Equal(keys[0].Kid, replay.FirstKid);
        Assert.Equal([0, 30, 31, 60, 61, 90, 91, 120], changedOn);

        // A, B and C were removed the day after they retired; D retires on day 120 + RetireAfter.
        Assert.Equal(keys.Take(3).Select(k => k.Kid), replay.Removed);
        Assert.Equal(4, replay.RefusedAfterRetirement);
        Assert.Equal(
            new[] { ".lock" }.Concat(keys.Skip(3).SelectMany(k => Store.FilesOf(k.Kid))).Order(StringComparer.Ordinal),
            Store.Names(dir.Path));
    }

    [Fact]
    public void Rotate_HourlyDailyOrWeekly_GivesTheSameKeysAtTheSameTimes()
    {
        Timeline hourly = Run(TimeSpan.FromHours(1));
        Timeline daily = Run(Day);
        Timeline weekly = Run(TimeSpan.FromDays(7));
        output.WriteLine($"rotations: hourly {hourly.Rotations}, daily {daily.Rotations}, weekly {weekly.Rotations}");

        // The activation time of the signing key at every hour of the 120 days.
        Assert.Equal(hourly.ActiveSince, daily.ActiveSince);
        Assert.Equal(hourly.ActiveSince, weekly.ActiveSince);
        Assert.Equal([0, 30, 60, 90], daily.ActiveSince.Distinct().Select(t => (int)(t - Store.T0).TotalDays));

        // The whole schedule: every key's activation and retirement.
        Assert.Equal(hourly.Schedule, daily.Schedule);
        Assert.Equal(hourly.Schedule, weekly.Schedule);
        Assert.Equal(5, daily.Schedule.Count);
    }

    private sealed record Timeline(List<DateTimeOffset> ActiveSince, SortedDictionary<DateTimeOffset, DateTimeOffset?> Schedule, int Rotations);

    // Rotates every `cadence` and samples, every hour, which key signs (from the store as the last
    // rotate left it). Also checks the prepublish rule at each cadence.
    private static Timeline Run(TimeSpan cadence)
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        var active = new List<DateTimeOffset>();
        var schedule = new SortedDictionary<DateTimeOffset, DateTimeOffset?>();
        var firstSeen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        List<KeyMetadata> state = [];
        DateTimeOffset next = Store.T0;
        int rotations = 0;
        string? firstKid = null;
        for (DateTimeOffset t = Store.T0; t < Store.T0 + (120 * Day); t += TimeSpan.FromHours(1))
        {
            while (next <= t)
            {
                dir.Rotate(JwsAlgorithm.EdDSA, 4096, next);
                state = Store.Metadata(dir.Path);
                foreach (KeyMetadata m in state)
                {
                    schedule[m.Activates] = m.Retires;
                    firstSeen.TryAdd(m.Kid, next);
                }

                next += cadence;
                rotations++;
            }

            Assert.Equal(1, Store.Count(state, t, KeyState.Active));
            KeyMetadata signer = KeyLifecycle.Active(state, t)!;
            firstKid ??= signer.Kid;
            Assert.True(signer.Kid == firstKid || t - firstSeen[signer.Kid] >= Store.Schedule.Prepublish,
                $"every {cadence}: {signer.Kid} signs at {t:O}, published {firstSeen[signer.Kid]:O}");
            active.Add(signer.Activates);
        }

        return new Timeline(active, schedule, rotations);
    }
}
