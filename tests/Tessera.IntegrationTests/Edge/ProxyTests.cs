// docs/SPEC.md §9: `tessera gate` behind the real nginx and haproxy, running the samples of
// samples/nginx and samples/haproxy as they ship (only addresses and paths replaced). The issuer
// is a real token service (MainServer: ES256, clients svc with read+write, other with read);
// each test starts its own gate(s), proxy and echo upstream, and stops exactly those.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Interop;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class ProxyTests(MainServer server, ITestOutputHelper output) : IClassFixture<MainServer>
{
    [Fact]
    public async Task Nginx_ValidToken_UpstreamSeesTheTokensIdentity()
    {
        await using NginxRig rig = await NginxRig.StartAsync(server);
        string token = await server.TokenAsync("svc");
        JsonElement claims = Jwt.Payload(token);

        Reply reply = await rig.SendAsync("/orders/42?x=1", token);

        Assert.True(reply.Status == HttpStatusCode.OK, $"{reply}\n{rig.Diagnostics}");
        Dictionary<string, string[]> seen = EchoUpstream.Headers(reply.Body);
        Assert.Equal(["svc"], seen["X-Tessera-Subject"]);
        Assert.Equal([claims.GetProperty("sub").GetString()!], seen["X-Tessera-Subject"]);
        Assert.Equal([claims.GetProperty("client_id").GetString()!], seen["X-Tessera-Client-Id"]);
        Assert.Equal([claims.GetProperty("scope").GetString()!], seen["X-Tessera-Scope"]);
        Assert.Equal([claims.GetProperty("jti").GetString()!], seen["X-Tessera-Jti"]);
        Assert.Equal(1, rig.Upstream.Requests);
    }

    [Fact]
    public async Task Nginx_ForgedIdentityHeaders_NeverReachTheUpstream()
    {
        await using NginxRig rig = await NginxRig.StartAsync(server);
        string token = await server.TokenAsync("svc");
        JsonElement claims = Jwt.Payload(token);
        (string, string)[] forged =
        [
            ("X-Tessera-Subject", "admin"), ("X-Tessera-Client-Id", "admin"), ("X-Tessera-Scope", "admin"),
            ("X-Tessera-Jti", "admin-jti"), ("X-Tessera_Subject", "admin"),
        ];

        Reply reply = await rig.SendAsync("/orders", token, forged);

        Assert.True(reply.Status == HttpStatusCode.OK, $"{reply}\n{rig.Diagnostics}");
        Dictionary<string, string[]> seen = EchoUpstream.Headers(reply.Body);
        Assert.Equal([claims.GetProperty("sub").GetString()!], seen["X-Tessera-Subject"]);
        Assert.Equal([claims.GetProperty("client_id").GetString()!], seen["X-Tessera-Client-Id"]);
        Assert.Equal([claims.GetProperty("scope").GetString()!], seen["X-Tessera-Scope"]);
        Assert.Equal([claims.GetProperty("jti").GetString()!], seen["X-Tessera-Jti"]);
        Assert.DoesNotContain(seen, h => h.Value.Any(v => v.Contains("admin", StringComparison.Ordinal)));

        // Without a token the forged identity goes nowhere: 401, and the upstream is not asked.
        Reply refused = await rig.SendAsync("/orders", null, forged);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("Bearer", refused.Header("WWW-Authenticate"));
        Assert.Equal(1, rig.Upstream.Requests);
    }

    [Fact]
    public async Task Nginx_ForgedHeader_IsDropped_WhenTheGateSendsNoneOfThatName()
    {
        await using NginxRig rig = await NginxRig.StartAsync(server);

        // A valid token without a scope claim, signed with the issuer's own active key (`tessera
        // issue` gives no scope unless asked): the gate answers 200 without X-Tessera-Scope.
        Support.Cli.Outcome issued = Support.Cli.Run(["issue", "--keys", server.KeysDir, "--issuer", server.Issuer, "--audience", "api", "--subject", "svc"]);
        Assert.True(issued.ExitCode == 0, "tessera issue failed: " + issued.Stderr);
        string token = issued.Stdout.Trim();
        Assert.False(Jwt.Payload(token).TryGetProperty("scope", out _), "the token was meant to carry no scope");

        Reply reply = await rig.SendAsync("/orders", token, [("X-Tessera-Scope", "admin")]);

        Assert.True(reply.Status == HttpStatusCode.OK, $"{reply}\n{rig.Diagnostics}");
        Dictionary<string, string[]> seen = EchoUpstream.Headers(reply.Body);
        Assert.Equal(["svc"], seen["X-Tessera-Subject"]);
        Assert.False(seen.ContainsKey("X-Tessera-Scope"), "the client's X-Tessera-Scope reached the upstream: " + string.Join(", ", seen.GetValueOrDefault("X-Tessera-Scope") ?? []));
    }

    [Fact]
    public async Task Nginx_RefusedTokens_GetTheGatesChallenge_AndNeverReachTheUpstream()
    {
        await using NginxRig rig = await NginxRig.StartAsync(server);
        string token = await server.TokenAsync("svc");
        string unsigned = Tokens.B64("""{"alg":"none","typ":"at+jwt"}""") + "." + token.Split('.')[1] + ".";

        Reply tampered = await rig.SendAsync("/orders", Tamper.SignatureBit(token));
        Reply missing = await rig.SendAsync("/orders");
        Reply none = await rig.SendAsync("/orders", unsigned);

        Assert.True(tampered.Status == HttpStatusCode.Unauthorized, $"{tampered}\n{rig.Diagnostics}");
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Signature verification failed\"", tampered.Header("WWW-Authenticate"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal("Bearer", missing.Header("WWW-Authenticate"));
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Invalid algorithm\"", none.Header("WWW-Authenticate"));
        Assert.Equal(0, rig.Upstream.Requests);
    }

    [Fact]
    public async Task Nginx_TokenWithoutTheGatesRequiredScope_Gets403InsufficientScope()
    {
        // svc holds read and write, other only read (MainServer).
        await using NginxRig rig = await NginxRig.StartAsync(server, requiredScopes: ["write"]);
        string withScope = await server.TokenAsync("svc");
        string withoutScope = await server.TokenAsync("other");

        Reply allowed = await rig.SendAsync("/orders", withScope);
        Reply forbidden = await rig.SendAsync("/orders", withoutScope);

        Assert.True(allowed.Status == HttpStatusCode.OK, $"{allowed}\n{rig.Diagnostics}");
        Assert.True(forbidden.Status == HttpStatusCode.Forbidden, $"{forbidden}\n{rig.Diagnostics}");
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"Insufficient scope\", scope=\"write\"", forbidden.Header("WWW-Authenticate"));
        Assert.Equal(1, rig.Upstream.Requests);
    }

    [Fact]
    public async Task Nginx_GateWithoutKeys_OrNoGate_Answers503WithRetryAfter_AndNothingPasses()
    {
        // The JWKS URL points at a loopback port nothing listens on: the gate has no keys.
        string deadJwks = $"https://127.0.0.1:{TokenServer.FreePort()}/.well-known/jwks.json";
        await using NginxRig rig = await NginxRig.StartAsync(server, jwksUri: deadJwks, expectKeys: false);
        string token = await server.TokenAsync("svc");

        Reply direct = await rig.SendAsync("/orders", token, to: rig.Gate.Address);
        Reply proxied = await rig.SendAsync("/orders", token);
        Reply ready = await rig.SendAsync("/readyz", to: rig.Gate.Address);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, direct.Status);
        Assert.True(proxied.Status == HttpStatusCode.ServiceUnavailable, $"{proxied}\n{rig.Diagnostics}");
        Assert.False(string.IsNullOrEmpty(proxied.Header("Retry-After")), "no Retry-After on the proxied 503");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);

        // No gate at all (killed): nginx cannot ask, so nothing passes either.
        rig.Gate.Kill();
        Reply noGate = await rig.SendAsync("/orders", token);
        Assert.True(noGate.Status == HttpStatusCode.ServiceUnavailable, $"{noGate}\n{rig.Diagnostics}");
        Assert.False(string.IsNullOrEmpty(noGate.Header("Retry-After")), "no Retry-After on the 503 without a gate");
        Assert.Equal(0, rig.Upstream.Requests);
    }

    [Fact]
    public async Task Gate_HealthPaths_AreHealthOnlyForPlainRequests()
    {
        await using NginxRig rig = await NginxRig.StartAsync(server);
        Uri gate = rig.Gate.Address;

        Reply ready = await rig.SendAsync("/readyz", to: gate);
        Reply health = await rig.SendAsync("/healthz", to: gate);

        // What a proxy sends when a client asked for /healthz: the gate must decide, not say "ok".
        Reply asProxied = await rig.SendAsync("/healthz", headers: [("X-Original-URI", "/healthz")], to: gate);
        Reply readyForwarded = await rig.SendAsync("/readyz", headers: [("X-Forwarded-For", "203.0.113.9")], to: gate);
        Reply metricsProxied = await rig.SendAsync("/metrics", headers: [("X-Original-URI", "/metrics")], to: gate);
        Reply throughNginx = await rig.SendAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal(HttpStatusCode.OK, health.Status);
        foreach (Reply refused in new[] { asProxied, readyForwarded, metricsProxied, throughNginx })
        {
            Assert.True(refused.Status == HttpStatusCode.Unauthorized, $"{refused}\n{rig.Diagnostics}");
            Assert.Equal("Bearer", refused.Header("WWW-Authenticate"));
        }

        Assert.Equal(0, rig.Upstream.Requests);
    }

    [Fact]
    public async Task Haproxy_ThreeGates_OneKilled_TrafficMovesToTheOthers_AndComesBack()
    {
        const int Workers = 4;
        using var dir = new TempDir();
        var gates = new List<GateProcess>();
        try
        {
            for (int i = 1; i <= 3; i++)
            {
                gates.Add(await GateProcess.StartAsync(dir, "gate" + i, server));
            }

            using HaproxyProcess haproxy = await HaproxyProcess.StartAsync(dir, [.. gates.Select(g => g.Port)]);
            await UntilStatus(haproxy, s => s.Count == 3 && s.Values.All(v => v == "UP"), "all three gates UP");
            string token = await server.TokenAsync("svc");

            using var http = new HttpClient { BaseAddress = haproxy.Address, Timeout = TimeSpan.FromSeconds(10) };
            var results = new ConcurrentQueue<(long Seq, bool Ok, string? Gate, string What)>();
            long issued = 0;
            using var stop = new CancellationTokenSource();
            Task[] loop = [.. Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    long seq = Interlocked.Increment(ref issued);
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/orders", UriKind.Relative));
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                        using HttpResponseMessage response = await http.SendAsync(request);
                        bool ok = response.StatusCode == HttpStatusCode.OK && response.Headers.Contains("X-Tessera-Subject");
                        string? answeredBy = response.Headers.TryGetValues("X-Gate-Server", out IEnumerable<string>? s) ? s.First() : null;
                        results.Enqueue((seq, ok, answeredBy, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        results.Enqueue((seq, false, null, ex.GetType().Name + ": " + ex.Message));
                    }

                    // A few hundred requests a second in all: enough to hit the dead gate many
                    // times before its checks fail, without starving the shared machine.
                    await Task.Delay(5);
                }
            })),];

            try
            {
                // Every gate answers some of the traffic before one of them dies.
                await Until(() => new[] { "gate1", "gate2", "gate3" }.All(g => results.Any(r => r.Gate == g)), "every gate answering", haproxy);

                var clock = Stopwatch.StartNew();
                gates[1].Kill();

                // Read once the process is gone: a request numbered above this was sent to a
                // dead gate, so it was not in flight at the kill.
                long killedAt = Interlocked.Read(ref issued);
                await UntilStatus(haproxy, s => s["gate2"] == "DOWN", "gate2 DOWN after SIGKILL");
                TimeSpan toDown = clock.Elapsed;
                long downAt = Interlocked.Read(ref issued);
                await Until(() => results.Count(r => r.Seq > downAt) >= 100, "100 requests after gate2 went DOWN", haproxy);

                await gates[1].RestartAsync();
                await UntilStatus(haproxy, s => s["gate2"] == "UP", "gate2 UP again after its restart");
                long upAt = Interlocked.Read(ref issued);
                await Until(() => results.Count(r => r.Seq > upAt && r.Gate == "gate2") >= 5, "gate2 answering again", haproxy);

                await stop.CancelAsync();
                await Task.WhenAll(loop);

                var failed = results.Where(r => !r.Ok).ToList();
                output.WriteLine($"requests: {results.Count}; failed: {failed.Count} (issued before the kill: {failed.Count(r => r.Seq <= killedAt)}); " +
                    $"gate2 DOWN {toDown.TotalMilliseconds:F0} ms after SIGKILL; answered per gate: " +
                    string.Join(", ", results.GroupBy(r => r.Gate ?? "-").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
                foreach ((long seq, _, _, string what) in failed)
                {
                    output.WriteLine($"failed #{seq}: {what}");
                }

                // At most the requests in flight at the kill fail: none sent after it (while
                // haproxy's checks had not yet noticed, after they took the gate out, and while it
                // came back).
                Assert.True(failed.Count <= Workers, $"{failed.Count} requests failed (more than the {Workers} in flight): " + string.Join("; ", failed.Take(10).Select(f => f.What)) + "\n" + haproxy.Output);
                Assert.True(failed.All(r => r.Seq <= killedAt), $"{failed.Count(r => r.Seq > killedAt)} requests sent after the kill failed: " + string.Join("; ", failed.Where(r => r.Seq > killedAt).Take(10).Select(f => f.What)));
                Assert.Contains(results, r => r.Seq > upAt && r.Gate == "gate2" && r.Ok);
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(loop);
            }
        }
        finally
        {
            foreach (GateProcess gate in gates)
            {
                gate.Dispose();
            }
        }
    }

    [Fact]
    public async Task NginxThroughHaproxy_ThreeGates_TheSamplesComposeUnchanged()
    {
        // nginx's auth_request goes to haproxy's frontend, which spreads it across three gates:
        // the two samples as they ship, with the gate address of one the frontend of the other.
        using var dir = new TempDir();
        var gates = new List<GateProcess>();
        await using EchoUpstream upstream = await EchoUpstream.StartAsync();
        try
        {
            for (int i = 1; i <= 3; i++)
            {
                gates.Add(await GateProcess.StartAsync(dir, "gate" + i, server));
            }

            using HaproxyProcess haproxy = await HaproxyProcess.StartAsync(dir, [.. gates.Select(g => g.Port)]);
            await UntilStatus(haproxy, s => s.Count == 3 && s.Values.All(v => v == "UP"), "all three gates UP");
            using NginxProcess nginx = await NginxProcess.StartAsync(dir, haproxy.Port, upstream.Address);
            string token = await server.TokenAsync("svc");
            using var http = new HttpClient { BaseAddress = nginx.Address, Timeout = TimeSpan.FromSeconds(30) };

            var subjects = new List<string>();
            for (int i = 0; i < 6; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/orders", UriKind.Relative));
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                request.Headers.Add("X-Tessera-Subject", "admin");
                using HttpResponseMessage response = await http.SendAsync(request);
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{nginx.Diagnostics}\n{haproxy.Output}");
                Dictionary<string, string[]> seen = EchoUpstream.Headers(body);
                subjects.AddRange(seen["X-Tessera-Subject"]);
                Assert.False(seen.ContainsKey("X-Gate-Server"), "haproxy's X-Gate-Server reached the upstream");
            }

            using HttpResponseMessage refused = await http.GetAsync(new Uri("/orders", UriKind.Relative));

            Assert.Equal(Enumerable.Repeat("svc", 6), subjects);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.ToString());
            Assert.Equal(6, upstream.Requests);

            // Round robin: six decisions went to all three gates (each gate counts its own).
            foreach (GateProcess gate in gates)
            {
                using var client = new HttpClient { BaseAddress = gate.Address };
                string metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                Assert.Contains("tessera_gate_decisions_total{otel_scope_name=\"Tessera.Gate\",result=\"valid\"}", metrics, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (GateProcess gate in gates)
            {
                gate.Dispose();
            }
        }
    }

    internal static async Task UntilStatus(HaproxyProcess haproxy, Func<Dictionary<string, string>, bool> done, string what)
    {
        Dictionary<string, string> last = [];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            last = await haproxy.ServerStatusAsync();
            if (done(last))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"haproxy: no {what} in 60 s; last status: {string.Join(", ", last.Select(s => s.Key + "=" + s.Value))}\n{haproxy.Output}");
    }

    internal static async Task Until(Func<bool> done, string what, HaproxyProcess haproxy)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (done())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"no {what} in 60 s\n{haproxy.Output}");
    }
}
