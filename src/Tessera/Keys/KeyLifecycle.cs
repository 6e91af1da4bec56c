// SPEC §5: next → active → retiring → retired, derived from metadata alone at a given moment.
// The rotation plan is a pure function of the metadata, the clock and the schedule, so `rotate`
// is idempotent: run every minute or once a week, it gives the same keys at the same times.
//
// Invariants the plan keeps:
// - exactly one active key (the latest activated key that is not retired);
// - a key always waits as "next", activating one rotation period after the active key did, and
//   it was published at least Prepublish before (never less than the JWKS cache lifetime);
// - a replaced key stays published until RetireAfter (longest token lifetime + skew) after its
//   successor activates, then it is retired and its files are removed.
// Exceptions, reported as such: the very first key (active at once) and emergency retirement.
namespace Tessera.Keys;

/// <summary>The lifecycle rules over key metadata.</summary>
public static class KeyLifecycle
{
    /// <summary>The state of <paramref name="key"/> among <paramref name="all"/> at <paramref name="now"/>.</summary>
    public static KeyState StateOf(KeyMetadata key, IEnumerable<KeyMetadata> all, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Retires is { } retires && retires <= now)
        {
            return KeyState.Retired;
        }

        if (key.Activates > now)
        {
            return KeyState.Next;
        }

        return Active(all, now)?.Kid == key.Kid ? KeyState.Active : KeyState.Retiring;
    }

    /// <summary>
    /// The active key at <paramref name="now"/>: the most recently activated key, unless it has
    /// been retired (an emergency), in which case none is. An older key never signs again once
    /// a newer one has activated.
    /// </summary>
    public static KeyMetadata? Active(IEnumerable<KeyMetadata> all, DateTimeOffset now)
    {
        KeyMetadata? latest = all.Where(k => k.Activates <= now)
            .OrderBy(k => k.Activates).ThenBy(k => k.Kid, StringComparer.Ordinal).LastOrDefault();
        return latest is not null && (latest.Retires is null || latest.Retires > now) ? latest : null;
    }

    /// <summary>What <c>rotate</c> must change so the invariants hold at <paramref name="now"/>.</summary>
    public static RotationPlan Plan(IReadOnlyList<KeyMetadata> keys, DateTimeOffset now, KeySchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(schedule);
        var plan = new RotationPlan();
        var live = new List<KeyMetadata>();
        foreach (KeyMetadata key in keys)
        {
            if (key.Retires is { } r && r <= now)
            {
                plan.Remove.Add(key.Kid);
                plan.Notes.Add($"removed retired key {key.Kid}");
            }
            else
            {
                live.Add(key);
            }
        }

        KeyMetadata? active = Active(keys, now);
        List<KeyMetadata> next = [.. live.Where(k => k.Activates > now).OrderBy(k => k.Activates)];
        var newKeys = new List<DateTimeOffset>();
        if (active is null && next.Count > 0)
        {
            active = next[0] with { Activates = now };
            next.RemoveAt(0);
            Replace(live, active);
            plan.Notes.Add($"no active key: activated next key {active.Kid} early");
        }
        else if (active is null)
        {
            newKeys.Add(now);
            plan.Notes.Add("no key: the new key is active at once");
        }

        if (next.Count == 0)
        {
            DateTimeOffset at = Max((active?.Activates ?? now) + schedule.RotateEvery, now + schedule.Prepublish);
            newKeys.Add(at);
            plan.Notes.Add($"published the next key, active from {at:yyyy-MM-ddTHH:mm:ssZ}");
        }

        // In activation order, each key retires RetireAfter after its successor activates; the
        // newest has no retirement yet.
        var order = live.Select(k => (k.Activates, Key: (KeyMetadata?)k))
            .Concat(newKeys.Select(t => (Activates: t, Key: (KeyMetadata?)null)))
            .OrderBy(e => e.Activates).ToList();
        for (int i = 0; i < order.Count; i++)
        {
            DateTimeOffset? retires = i + 1 < order.Count ? order[i + 1].Activates + schedule.RetireAfter : null;
            if (order[i].Key is not { } key)
            {
                plan.NewKeys.Add(new PlannedKey(order[i].Activates, retires));
                continue;
            }

            // A retirement already scheduled is never pushed later (after an emergency the
            // successor can activate earlier than planned, not the other way round).
            if (key.Retires is { } scheduled && (retires is null || scheduled < retires))
            {
                retires = scheduled;
            }

            if (key.Retires != retires || keys.All(k => k != key))
            {
                plan.Update.Add(key with { Retires = retires });
            }
        }

        return plan;
    }

    private static void Replace(List<KeyMetadata> list, KeyMetadata key)
    {
        list.RemoveAll(k => k.Kid == key.Kid);
        list.Add(key);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
