using System.Collections.Concurrent;
using System.Diagnostics;
using Tessera.Revocation;
using Tessera.Revocation.Redis;
using Tessera.Tests.Support;
using Tessera.Validation;
using static Tessera.IntegrationTests.Revocation.RevocationKit;

namespace Tessera.IntegrationTests.Revocation;

/// <summary>
/// docs/SPEC.md §7 against a real redis-server, with validators in this process (their stores are
/// what `serve` and `verify` use): cutoffs written by the CLI, lost pub/sub messages, Redis killed
/// and restarted with and without its data, expiry, and values Tessera did not write.
/// </summary>
public sealed class RedisStoreTests : IDisposable
{
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(2);
    private readonly List<IDisposable> _owned = [];
    private readonly ITestOutputHelper _output;

    public RedisStoreTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        foreach (IDisposable owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }

    [Fact]
    public void Cutoffs_WrittenByTheCli_RefuseBySubjectClientAndIssuer_WithinMaxStaleness()
    {
        RedisServer redis = Own(new RedisServer());
        IRevocationStore store = Own(Follow(redis.Url, MaxStaleness));
        TokenValidator validator = Validator(store);
        long t = Now;
        string aliceOld = Issue("alice", "meter", t - 100).Token;
        string aliceNew = Issue("alice", "meter", t - 10).Token;
        string bobMeter = Issue("bob", "meter", t - 100).Token;
        string bobPump = Issue("bob", "pump", t - 100).Token;
        string carolOther = Issue("carol", "other", t - 300).Token;
        Assert.All(new[] { aliceOld, aliceNew, bobMeter, bobPump, carolOther }, tok => Assert.True(validator.Validate(tok).IsValid));

        Revoke("--subject", "alice", "--before", Text(t - 50));
        AssertRefusedWithin(validator, aliceOld);
        Assert.True(validator.Validate(aliceNew).IsValid);
        Assert.True(validator.Validate(bobMeter).IsValid);

        Revoke("--client", "meter", "--before", Text(t - 50));
        AssertRefusedWithin(validator, bobMeter);
        Assert.True(validator.Validate(bobPump).IsValid);
        Assert.True(validator.Validate(aliceNew).IsValid);

        // An issuer-wide cutoff: everything before it, whoever it belongs to.
        Revoke("--all", "--before", Text(t - 200));
        AssertRefusedWithin(validator, carolOther);
        Assert.True(validator.Validate(bobPump).IsValid);

        // The subject's cutoff raised past the newer token.
        Revoke("--subject", "alice", "--before", Text(t));
        AssertRefusedWithin(validator, aliceNew);
        Assert.True(validator.Validate(bobPump).IsValid);

        void Revoke(params string[] args)
        {
            Support.Cli.Outcome revoke = Support.Cli.Run(["revoke", .. args, "--store", redis.Url]);
            Assert.True(revoke.ExitCode == 0, revoke.Stderr);
        }
    }

    [Fact]
    public async Task LostPubSubMessages_DelayNoRevocationPastMaxStaleness()
    {
        RedisServer redis = Own(new RedisServer());
        IRevocationStore validator = Own(Follow(redis.Url, MaxStaleness));
        IRevocationStore writer = Own(Follow(redis.Url, MaxStaleness));
        var written = new ConcurrentDictionary<string, long>();
        var seen = new ConcurrentDictionary<string, long>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        int killed = 0;

        // Subscriber connections killed over and over while revocations are written.
        Task killer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (int.TryParse(redis.Cli("CLIENT", "KILL", "TYPE", "pubsub"), out int n))
                {
                    killed += n;
                }

                Thread.Sleep(20);
            }
        });
        Task watcher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (string jti in written.Keys.Where(j => !seen.ContainsKey(j)))
                {
                    if (validator.IsRevoked(jti))
                    {
                        seen[jti] = clock.ElapsedMilliseconds;
                    }
                }

                Thread.Sleep(5);
            }
        });

        for (int i = 0; i < 150; i++)
        {
            string jti = "lost-pubsub-" + i;
            writer.Revoke(jti, DateTimeOffset.FromUnixTimeSeconds(Now + 600));
            written[jti] = clock.ElapsedMilliseconds;
            Thread.Sleep(15);
        }

        Assert.NotNull(Within(MaxStaleness + TimeSpan.FromSeconds(1), () => seen.Count == written.Count));
        stop.Cancel();
        await Task.WhenAll(killer, watcher);
        long worst = written.Max(w => (seen.TryGetValue(w.Key, out long s) ? s : long.MaxValue / 2) - w.Value);
        _output.WriteLine($"{killed} pub/sub connections killed; worst delay {worst} ms over {written.Count} revocations");
        Assert.True(killed > 0, "no pub/sub connection was killed: the test did not exercise what it claims");
        Assert.True(worst <= MaxStaleness.TotalMilliseconds, $"a revocation took {worst} ms to reach the validator (max_staleness {MaxStaleness.TotalMilliseconds} ms)");
    }

    [Fact]
    public void RedisKilled_TheValidatorTurnsStale_ThenRecoversWithoutARestart_KeepingWhatItKnew()
    {
        RedisServer redis = Own(new RedisServer(persistent: true));
        IRevocationStore store = Own(Follow(redis.Url, MaxStaleness));
        TokenValidator validator = Validator(store);
        (string revoked, string revokedJti) = Issue("alice");
        string fine = Issue("bob").Token;
        store.Revoke(revokedJti, DateTimeOffset.FromUnixTimeSeconds(Now + 600));
        Assert.True(validator.Validate(fine).IsValid);

        redis.Kill();
        TimeSpan? stale = Within(MaxStaleness + TimeSpan.FromSeconds(2), () => validator.Validate(fine).ToString() == "Token revoked: revocation list stale");
        Assert.True(stale is not null, "still not stale " + (MaxStaleness + TimeSpan.FromSeconds(2)) + " after Redis died: " + validator.Validate(fine));
        Assert.False(store.IsHealthy);
        Assert.Equal("Token revoked", validator.Validate(revoked).ToString());

        redis.Restart();
        TimeSpan? back = Within(TimeSpan.FromSeconds(15), () => validator.Validate(fine).IsValid);
        _output.WriteLine($"stale after {stale!.Value.TotalMilliseconds:F0} ms; fresh again {back?.TotalMilliseconds:F0} ms after the restart");
        Assert.True(back is not null, "not fresh 15 s after Redis came back: " + validator.Validate(fine));
        Assert.True(store.IsHealthy);
        Assert.Equal(ValidationError.Revoked, validator.Validate(revoked).Error);

        // And it follows new writes again.
        (string later, string laterJti) = Issue("carol");
        Assert.Equal(0, Support.Cli.Run(["revoke", "--jti", laterJti, "--exp", Claim(later, "exp"), "--store", redis.Url]).ExitCode);
        AssertRefusedWithin(validator, later);
    }

    [Fact]
    public async Task RedisRestartedWithoutItsData_IsReseededByTheIssuer_AndNoRevokedTokenIsAcceptedMeanwhile()
    {
        using var dir = new TempDir();
        RedisServer redis = Own(new RedisServer(persistent: false));
        IRevocationStore issuer = Own(Follow(redis.Url, MaxStaleness, journal: dir["journal.db"], oneShot: false));
        IRevocationStore validator = Own(Follow(redis.Url, MaxStaleness));
        TokenValidator check = Validator(validator);
        var tokens = Enumerable.Range(0, 40).Select(i => Issue("user-" + i)).ToList();
        foreach ((_, string jti) in tokens)
        {
            issuer.Revoke(jti, DateTimeOffset.FromUnixTimeSeconds(Now + 900));
        }

        string cutOff = Issue("mallory", iat: Now - 100).Token;
        issuer.RevokeBefore(CutoffScope.Subject, "mallory", DateTimeOffset.FromUnixTimeSeconds(Now - 50));
        Assert.NotNull(Within(MaxStaleness, () => tokens.All(t => check.Validate(t.Token).Error == ValidationError.Revoked) && !check.Validate(cutOff).IsValid));

        using var stop = new CancellationTokenSource();
        int accepted = 0;
        Task watcher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                accepted += tokens.Count(t => check.Validate(t.Token).IsValid) + (check.Validate(cutOff).IsValid ? 1 : 0);
                Thread.Sleep(5);
            }
        });

        // 1. A restart without persistence: Redis comes back empty (the issuer may refill it before
        // this test can look, so only the end result is checked).
        redis.Restart();
        AssertReseeded();

        // 2. FLUSHALL on a running Redis.
        redis.Cli("FLUSHALL");
        AssertReseeded();

        stop.Cancel();
        await watcher;
        Assert.Equal(0, accepted);

        void AssertReseeded()
        {
            TimeSpan? took = Within(TimeSpan.FromSeconds(15), () => tokens.All(t => redis.Cli("EXISTS", "tessera:revocation:jti:" + t.Jti) == "1"), pollMs: 100);
            Assert.True(took is not null, "the issuer did not write its journal back into the emptied Redis in 15 s");
            _output.WriteLine($"re-seeded in {took!.Value.TotalMilliseconds:F0} ms");

            // A validator that starts now, on the re-seeded Redis, knows every revocation and the cutoff.
            using IRevocationStore fresh = Follow(redis.Url, MaxStaleness);
            TokenValidator newcomer = Validator(fresh);
            Assert.NotNull(Within(MaxStaleness, () => !newcomer.Validate(cutOff).IsValid));
            Assert.All(tokens, t => Assert.Equal(ValidationError.Revoked, newcomer.Validate(t.Token).Error));
        }
    }

    [Fact]
    public void ARevokedJti_LeavesRedisAndTheMirror_AfterItsTime()
    {
        RedisServer redis = Own(new RedisServer());
        var store = (RedisRevocationStore)Own(Follow(redis.Url, MaxStaleness));
        long until = Now + 2;
        store.Revoke("short-lived", DateTimeOffset.FromUnixTimeSeconds(until));
        store.Revoke("long-lived", DateTimeOffset.FromUnixTimeSeconds(Now + 600));
        Assert.True(store.IsRevoked("short-lived"));
        long ttl = long.Parse(redis.Cli("TTL", "tessera:revocation:jti:short-lived"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 0, 2);

        Assert.NotNull(Within(TimeSpan.FromSeconds(6), () => redis.Cli("EXISTS", "tessera:revocation:jti:short-lived") == "0" && store.Mirror.Count == 1, pollMs: 100));
        Assert.False(store.IsRevoked("short-lived"));
        Assert.True(store.IsRevoked("long-lived"));
        Assert.Equal("1", redis.Cli("EXISTS", "tessera:revocation:jti:long-lived"));

        // A jti whose time has already passed is not written at all.
        Assert.False(store.Revoke("already-over", DateTimeOffset.FromUnixTimeSeconds(Now - 1)));
        Assert.Equal("0", redis.Cli("EXISTS", "tessera:revocation:jti:already-over"));
    }

    [Fact]
    public void ValuesTesseraDidNotWrite_AreSkippedOrRefused_WithAClearError_AndNothingCrashes()
    {
        RedisServer redis = Own(new RedisServer());
        redis.Cli("SET", "tessera:revocation:jti:garbage", "hello");
        redis.Cli("HSET", "tessera:revocation:cutoffs", "sub:eve", "not-a-time", "unknown-field", "5");
        redis.Cli("XADD", "tessera:revocation:log", "*", "foo", "bar");
        var store = (RedisRevocationStore)Own(Follow(redis.Url, MaxStaleness));
        Assert.True(store.IgnoredValues >= 3, "ignored " + store.IgnoredValues);
        Assert.False(store.Mirror.IsStale);
        Assert.False(store.IsRevoked("garbage"));
        store.Revoke("real", DateTimeOffset.FromUnixTimeSeconds(Now + 600));
        Assert.True(store.IsRevoked("real"));

        // The CLI refuses to write over a value it does not understand: exit 2, and says where.
        Support.Cli.Outcome over = Support.Cli.Run(["revoke", "--jti", "garbage", "--exp", Text(Now + 600), "--store", redis.Url]);
        Assert.Equal(2, over.ExitCode);
        Assert.Contains("tessera:revocation:jti:garbage holds a value that is not a Tessera expiry", over.Stderr, StringComparison.Ordinal);

        // A key of the wrong type makes syncs fail (the copy turns stale, the reason is kept), not crash.
        redis.Cli("DEL", "tessera:revocation:log");
        redis.Cli("SET", "tessera:revocation:log", "not a stream");
        Assert.NotNull(Within(MaxStaleness + TimeSpan.FromSeconds(2), () => store.Mirror.IsStale));
        Assert.Contains("WRONGTYPE", store.LastError, StringComparison.Ordinal);
        Assert.True(store.IsRevoked("real"));
        redis.Cli("DEL", "tessera:revocation:log");
        Assert.NotNull(Within(MaxStaleness + TimeSpan.FromSeconds(2), () => !store.Mirror.IsStale));
    }

    [Fact]
    public void AWrongPassword_IsAClearErrorThatNeverShowsThePassword()
    {
        RedisServer redis = Own(new RedisServer(password: "right-Pa55"));
        string wrong = $"redis://:Wr0ng-Pa55@127.0.0.1:{redis.Port}";
        Support.Cli.Outcome revoke = Support.Cli.Run(["revoke", "--jti", "x", "--exp", Text(Now + 600), "--store", wrong]);
        Assert.Equal(2, revoke.ExitCode);
        Assert.Contains("authentication", revoke.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Wr0ng-Pa55", revoke.Stdout + revoke.Stderr, StringComparison.Ordinal);

        Support.Cli.Outcome right = Support.Cli.Run(["revoke", "--jti", "x", "--exp", Text(Now + 600), "--store", redis.Url]);
        Assert.True(right.ExitCode == 0, right.Stderr);
        Assert.Equal("1", redis.Cli("EXISTS", "tessera:revocation:jti:x"));
    }

    private static void AssertRefusedWithin(TokenValidator validator, string token)
    {
        TimeSpan? took = Within(MaxStaleness, () => validator.Validate(token).Error == ValidationError.Revoked);
        Assert.True(took is not null, $"not refused within max_staleness ({MaxStaleness}): {validator.Validate(token)}");
    }

    private T Own<T>(T owned)
        where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
