// docs/SPEC.md §7 at the edge: a `tessera gate` whose revocation.store is a real redis-server
// refuses a token revoked with `tessera revoke --store` within max_staleness, answers 503 for
// tokens it cannot vouch for (never 200, never 401) while its copy of the list is stale under
// on_stale: refuse (a revocation it already knows still answers 401), and recovers by itself when
// Redis returns, with the revocation still in force.
using System.Net;
using System.Text.Json.Nodes;
using Tessera.IntegrationTests.Revocation;
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class GateRevocationTests(MainServer server, ITestOutputHelper output) : IClassFixture<MainServer>
{
    [Fact]
    public async Task RevokedAtTheStore_RefusedAtTheGate_WithinMaxStaleness_StaleIs503_AndRecovers()
    {
        using var redis = new RedisServer();
        using var dir = new TempDir();
        using GateProcess gate = await GateProcess.StartAsync(dir, "gate", server, configure: c =>
            c["revocation"] = new JsonObject { ["store"] = redis.Url, ["max_staleness"] = "2s" });
        string revoked = await server.TokenAsync("svc");
        string kept = await server.TokenAsync("svc");
        using var http = new HttpClient { BaseAddress = gate.Address, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await Ask(http, revoked)).Status);

        Support.Cli.Outcome revoke = Support.Cli.Run(["revoke", "--jti", Jwt.Payload(revoked).GetProperty("jti").GetString()!,
            "--exp", Jwt.Payload(revoked).GetProperty("exp").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", redis.Url]);
        Assert.True(revoke.ExitCode == 0, revoke.Stderr);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (HttpStatusCode status, string? challenge) = (HttpStatusCode.OK, null);
        while (clock.Elapsed < TimeSpan.FromSeconds(2) && status == HttpStatusCode.OK)
        {
            (status, challenge) = await Ask(http, revoked);
        }

        output.WriteLine($"refused {clock.ElapsedMilliseconds} ms after tessera revoke returned");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Token revoked\"", challenge);
        Assert.Equal(HttpStatusCode.OK, (await Ask(http, kept)).Status);

        // Redis gone: within max_staleness (+ a sync) the gate cannot decide, and says so.
        redis.Kill();
        await Until(async () => (await Ask(http, kept)).Status == HttpStatusCode.ServiceUnavailable, "503 for a valid token while the list is stale");
        using (HttpResponseMessage ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // What the copy already knows still holds: the revoked token stays refused, not 503.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Ask(http, revoked)).Status);

        // Redis back (with its data): the same gate process recovers, the revocation still holds.
        redis.Restart();
        await Until(async () => (await Ask(http, kept)).Status == HttpStatusCode.OK, "200 again after Redis returned");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Ask(http, revoked)).Status);
    }

    private static async Task<(HttpStatusCode Status, string? Challenge)> Ask(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/x", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers.TryGetValues("WWW-Authenticate", out IEnumerable<string>? v) ? string.Join(", ", v) : null);
    }

    private static async Task Until(Func<Task<bool>> done, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await done())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"no {what} in 30 s");
    }
}
