// A day-by-day replay of a key directory (docs/SPEC.md §5): `rotate` once a day, tokens issued with the
// active key at several times of each day, and every token checked against the JWKS that is
// published at its issue time, 30 minutes later and one second before it expires — each JWKS
// taken from the directory as the most recent rotate left it, serialised and parsed again as a
// validator would fetch it. Along the way it records when each kid was first published, so the
// prepublish rule can be checked from the outside.
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Keys;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Lifecycle;

internal sealed class Replay(KeyDirectory dir)
{
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(60);

    // Times of day (after that day's rotate) at which a token is issued: the rotate instant
    // itself, mid-day, and the last minutes before the next rotate so tokens straddle it.
    private static readonly TimeSpan[] IssueTimes =
        [TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromHours(9), new(23, 30, 0), new(23, 59, 59)];

    private readonly Dictionary<string, DateTimeOffset> _firstSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyMetadata> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastToken = new(StringComparer.Ordinal);
    private readonly List<Check> _pending = [];
    private List<KeyMetadata> _today = [];

    public int Issued { get; private set; }

    public int Verified { get; private set; }

    /// <summary>Tokens refused with unknown_key once their signing key retired (the negative control).</summary>
    public int RefusedAfterRetirement { get; private set; }

    public string? FirstKid { get; private set; }

    /// <summary>Kids whose files a rotate removed, in order.</summary>
    public List<string> Removed { get; } = [];

    /// <summary>Every key seen, with its latest metadata.</summary>
    public IReadOnlyDictionary<string, KeyMetadata> Known => _known;

    public IReadOnlyDictionary<string, DateTimeOffset> FirstSeen => _firstSeen;

    /// <summary>Runs days 0..days-1 with issuance, then a last rotate on day <paramref name="days"/> that settles every pending check.</summary>
    public void Run(int days, Action<int, DateTimeOffset> rotate)
    {
        for (int d = 0; d <= days; d++)
        {
            DateTimeOffset r = Store.T0 + (d * Day);
            List<string> due = [.. _known.Values.Where(k => k.Retires is { } x && x <= r && !Removed.Contains(k.Kid)).Select(k => k.Kid)];
            rotate(d, r);

            // Retired keys: their files are gone after this rotate.
            foreach (string kid in due)
            {
                Assert.True(!Directory.EnumerateFileSystemEntries(dir.Path).Any(f => Path.GetFileName(f).StartsWith(kid + ".", StringComparison.Ordinal)),
                    $"day {d}: files of retired key {kid} are still there");
                Removed.Add(kid);
            }

            _today = Store.Metadata(dir.Path);
            foreach (KeyMetadata m in _today)
            {
                _known[m.Kid] = m;
            }

            Assert.Equal(1, Store.Count(_today, r, KeyState.Active));
            Assert.Equal(1, Store.Count(_today, r, KeyState.Next));
            FirstKid ??= KeyLifecycle.Active(_today, r)!.Kid;
            Observe(r);

            // Negative control: the newest token of a key that retires during this day is
            // refused with unknown_key at the retirement instant (its kid left the JWKS).
            foreach ((string kid, string token) in _lastToken)
            {
                if (_known[kid].Retires is { } retires && retires >= r && retires < r + Day)
                {
                    KeySet served = Observe(retires);
                    Assert.Equal(ValidationError.UnknownKey, Validate(served, token, retires).Error);
                    RefusedAfterRetirement++;
                }
            }

            if (d < days)
            {
                foreach (TimeSpan offset in IssueTimes)
                {
                    Issue(r + offset);
                }
            }

            foreach (Check check in _pending.Where(c => c.At < r + Day).OrderBy(c => c.At).ToList())
            {
                KeySet served = Observe(check.At);
                ValidationResult result = Validate(served, check.Token, check.At);
                Assert.True(result.IsValid, $"token of {check.Kid} issued {check.IssuedAt:O} refused at {check.At:O}: {result.Code} {result.Detail}");
                Verified++;
                _pending.Remove(check);
            }
        }

        Assert.Empty(_pending);
    }

    private void Issue(DateTimeOffset at)
    {
        Assert.Equal(1, Store.Count(_today, at, KeyState.Active));
        StoredKey active = dir.ActiveAt(at) ?? throw new Xunit.Sdk.XunitException($"no active key at {at:O}");
        string kid = active.Metadata.Kid;
        Assert.True(Observe(at).TryFind(kid, out _), $"active key {kid} is not published at {at:O}");

        // No key signs before it was published for at least Prepublish (the first key excepted).
        if (kid != FirstKid)
        {
            TimeSpan published = at - _firstSeen[kid];
            Assert.True(published >= dir.Schedule.Prepublish, $"{kid} signs at {at:O} after being published only {published}");
        }

        var issuer = new TokenIssuer(new IssuanceOptions { Issuer = Tokens.Issuer, Lifetime = Ttl }, new FakeClock(at.ToUnixTimeSeconds()));
        string token = issuer.Issue(active.Key, new TokenRequest { Subject = "device-1", Audiences = [Tokens.Audience] }).Token;
        Issued++;
        _lastToken[kid] = token;
        foreach (TimeSpan later in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(30), Ttl - TimeSpan.FromSeconds(1) })
        {
            _pending.Add(new Check(token, kid, at, at + later));
        }
    }

    /// <summary>The JWKS published at <paramref name="at"/>, as a validator would fetch and parse it.</summary>
    private KeySet Observe(DateTimeOffset at)
    {
        KeySet served = KeySet.FromJwks(dir.PublishedAt(at).ToJwks());
        Assert.Equal(0, served.Skipped);
        foreach (JwsKey key in served.Keys)
        {
            if (!_firstSeen.TryGetValue(key.KeyId, out DateTimeOffset seen) || at < seen)
            {
                _firstSeen[key.KeyId] = at;
            }
        }

        // Retired keys leave the JWKS.
        foreach (KeyMetadata k in _known.Values.Where(k => k.Retires is { } x && x <= at))
        {
            Assert.False(served.TryFind(k.Kid, out _), $"retired key {k.Kid} (retires {k.Retires:O}) still published at {at:O}");
        }

        return served;
    }

    private static ValidationResult Validate(KeySet served, string token, DateTimeOffset at) =>
        new TokenValidator(Validators.Options(served.Algorithms.Count > 0 ? served.Algorithms : [JwsAlgorithm.EdDSA], cacheSize: 0), served, new FakeClock(at.ToUnixTimeSeconds()))
            .Validate(token);

    private sealed record Check(string Token, string Kid, DateTimeOffset IssuedAt, DateTimeOffset At);
}
