using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.IntegrationTests.Server;
using static Tessera.IntegrationTests.Revocation.RevocationKit;

namespace Tessera.IntegrationTests.Revocation;

/// <summary>`tessera serve` on a Redis store: docs/SPEC.md §6 and §7.</summary>
public sealed class RedisServiceTests
{
    [Fact]
    public async Task Serve_FollowsRevocations_TurnsNotReadyAndRefusesWhileStale_AndRecovers()
    {
        using var redis = new RedisServer(persistent: true);
        var server = new RedisTokenServer(redis.Url, "refuse");
        await server.InitializeAsync();
        try
        {
            await AssertReady(server, HttpStatusCode.OK);
            string token = await server.TokenAsync("svc");
            string other = await server.TokenAsync("svc");
            Assert.True((await server.IntrospectAsync(token, "svc")).GetProperty("active").GetBoolean());

            // A revocation written by the CLI reaches the service within max_staleness.
            Support.Cli.Outcome revoke = Support.Cli.Run(["revoke", "--jti", Claim(token, "jti"), "--exp", Claim(token, "exp"), "--store", redis.Url]);
            Assert.True(revoke.ExitCode == 0, revoke.Stderr);
            Assert.NotNull(await WithinAsync(TimeSpan.FromSeconds(2), async () => !(await server.IntrospectAsync(token, "svc")).GetProperty("active").GetBoolean()));
            Assert.True(File.Exists(server.Dir["journal.db"]), "the issuer keeps no journal");
            Assert.Contains(server.SecurityLogEvents(), e => e.GetProperty("event").GetString() == "revocation_synced"
                && e.GetProperty("kind").GetString() == "jti" && e.GetProperty("jti").GetString() == Claim(token, "jti"));

            // Redis dies: not ready, and tokens are refused as "revocation list stale".
            redis.Kill();
            Assert.NotNull(await WithinAsync(TimeSpan.FromSeconds(5), async () => (await server.GetAsync("/readyz")).Status == HttpStatusCode.ServiceUnavailable));
            Assert.NotNull(await WithinAsync(TimeSpan.FromSeconds(5), async () => !(await server.IntrospectAsync(other, "svc")).GetProperty("active").GetBoolean()));
            Assert.Contains(server.SecurityLogEvents(), e => e.GetProperty("event").GetString() == "token_refused"
                && e.TryGetProperty("detail", out JsonElement d) && d.GetString() == "revocation list stale");
            Reply metrics = await server.GetAsync("/metrics");
            Assert.Contains("tessera_revocation_stale_refusals", metrics.Body, StringComparison.Ordinal);
            Assert.Contains("tessera_revocation_sync_age", metrics.Body, StringComparison.Ordinal);

            // It comes back by itself, and still refuses what was revoked.
            redis.Restart();
            Assert.NotNull(await WithinAsync(TimeSpan.FromSeconds(15), async () => (await server.GetAsync("/readyz")).Status == HttpStatusCode.OK));
            Assert.True((await server.IntrospectAsync(other, "svc")).GetProperty("active").GetBoolean());
            Assert.False((await server.IntrospectAsync(token, "svc")).GetProperty("active").GetBoolean());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Serve_StartsOnAnUnreachableRedis_NotReady_AndUnderAccept_LogsEveryStaleAcceptance()
    {
        using var redis = new RedisServer(persistent: true);
        redis.Kill();
        var server = new RedisTokenServer(redis.Url, "accept");
        await server.InitializeAsync();
        try
        {
            await AssertReady(server, HttpStatusCode.ServiceUnavailable);
            string token = await server.TokenAsync("svc");
            JsonElement answer = await server.IntrospectAsync(token, "svc");
            Assert.True(answer.GetProperty("active").GetBoolean());
            Assert.NotNull(await WithinAsync(TimeSpan.FromSeconds(5), () => Task.FromResult(server.SecurityLogEvents().Any(e =>
                e.GetProperty("event").GetString() == "stale_revocation_accepted" && e.GetProperty("jti").GetString() == Claim(token, "jti")))));

            redis.Restart();
            Assert.NotNull(await WithinAsync(TimeSpan.FromSeconds(15), async () => (await server.GetAsync("/readyz")).Status == HttpStatusCode.OK));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task AssertReady(TokenServer server, HttpStatusCode expected)
    {
        HttpStatusCode last = default;
        Assert.True(await WithinAsync(TimeSpan.FromSeconds(5), async () => (last = (await server.GetAsync("/readyz")).Status) == expected) is not null, $"/readyz answered {last}, not {expected}");
    }

    private static async Task<TimeSpan?> WithinAsync(TimeSpan limit, Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed <= limit)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(50);
        }

        return null;
    }
}

/// <summary>The token service on a Redis store, max_staleness 2 s, with its journal in its directory.</summary>
public sealed class RedisTokenServer(string store, string onStale) : TokenServer
{
    protected override void Configure(JsonObject config) =>
        config["revocation"] = new JsonObject
        {
            ["store"] = store,
            ["max_staleness"] = "2s",
            ["on_stale"] = onStale,
            ["journal"] = Dir["journal.db"],
        };
}
