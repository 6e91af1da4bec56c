// Key rotation while three `tessera gate`s behind haproxy carry steady traffic (docs/SPEC.md §5,
// §9). Clients always send the newest token they were given; the issuer's keys change twice:
//   1. `tessera rotate --retire A`: B, pre-published and already in every gate's cache, signs;
//   2. `tessera rotate --retire B`: C signs, a key no gate has ever fetched (an emergency).
// No request with a token of a key the issuer still published may fail, and the first request
// with a C token through each gate succeeds (one synchronous refetch, not a scheduled one).
// Requests with a token of a key retired before they were sent may go either way: a gate drops a
// retired key at its next refresh, not at the moment of retirement (docs/edge.md).
using System.Collections.Concurrent;
using System.Net;
using Tessera.IntegrationTests.Server;
using Tessera.IntegrationTests.Support;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class RotationUnderLoadTests(RotatedUnderLoadServer server, ITestOutputHelper output) : IClassFixture<RotatedUnderLoadServer>
{
    private sealed record Sent(long Seq, string Kid, int RetiredBefore, bool Ok, string? Gate, string What);

    [Fact]
    public async Task PlannedThenEmergencyRotation_UnderLoad_NoRequestWithALiveKeyFails_AndTheFirstNewKeyRequestPassesOnEveryGate()
    {
        const int Workers = 4;
        KeyMetadata[] start = LiveKeys.Metadata(server.KeysDir);
        Assert.Equal(2, start.Length);
        (string a, string b) = (start[0].Kid, start[1].Kid);

        using var dir = new TempDir();
        var gates = new List<GateProcess>();
        try
        {
            for (int i = 1; i <= 3; i++)
            {
                gates.Add(await GateProcess.StartAsync(dir, "gate" + i, server));
            }

            using HaproxyProcess haproxy = await HaproxyProcess.StartAsync(dir, [.. gates.Select(g => g.Port)]);
            await ProxyTests.UntilStatus(haproxy, s => s.Count == 3 && s.Values.All(v => v == "UP"), "all three gates UP");

            string token = await server.TokenAsync("svc");
            Assert.Equal(a, Jwt.Kid(token));
            int retired = 0; // how many of A, B were retired when a request was sent
            var results = new ConcurrentQueue<Sent>();
            long issued = 0;
            using var http = new HttpClient { BaseAddress = haproxy.Address, Timeout = TimeSpan.FromSeconds(10) };
            using var stop = new CancellationTokenSource();
            Task[] loop = [.. Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    string current = Volatile.Read(ref token);
                    int retiredNow = Volatile.Read(ref retired);
                    long seq = Interlocked.Increment(ref issued);
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/readings", UriKind.Relative));
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", current);
                        using HttpResponseMessage response = await http.SendAsync(request);
                        string? gate = response.Headers.TryGetValues("X-Gate-Server", out IEnumerable<string>? g) ? g.First() : null;
                        results.Enqueue(new(seq, Jwt.Kid(current), retiredNow, response.StatusCode == HttpStatusCode.OK, gate, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        results.Enqueue(new(seq, Jwt.Kid(current), retiredNow, false, null, ex.GetType().Name));
                    }

                    await Task.Delay(5);
                }
            })),];

            string c;
            try
            {
                await ProxyTests.Until(() => new[] { "gate1", "gate2", "gate3" }.All(n => results.Any(r => r.Gate == n && r.Ok)), "every gate accepting A's token", haproxy);

                // 1. Planned: B was published ahead, so every gate already has it.
                c = await RetireAsync(a, b, () => Volatile.Write(ref retired, 1));
                Volatile.Write(ref token, await server.TokenAsync("svc"));
                Assert.Equal(b, Jwt.Kid(token));
                await ProxyTests.Until(() => new[] { "gate1", "gate2", "gate3" }.All(n => results.Any(r => r.Kid == b && r.Gate == n)), "every gate answering B's token", haproxy);

                // 2. Emergency: C was published after the gates fetched their keys; none has it.
                string d = await RetireAsync(b, c, () => Volatile.Write(ref retired, 2));
                Assert.NotEqual(c, d);
                Volatile.Write(ref token, await server.TokenAsync("svc"));
                Assert.Equal(c, Jwt.Kid(token));
                await ProxyTests.Until(() => new[] { "gate1", "gate2", "gate3" }.All(n => results.Count(r => r.Kid == c && r.Gate == n) >= 5), "every gate answering C's token 5 times", haproxy);
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(loop);
            }

            Sent[] all = [.. results.OrderBy(r => r.Seq)];
            // A key retired before the request was sent: either answer is allowed (see the header).
            bool Excused(Sent r) => (r.Kid == a && r.RetiredBefore >= 1) || (r.Kid == b && r.RetiredBefore >= 2);
            Sent[] failed = [.. all.Where(r => !r.Ok && !Excused(r))];
            output.WriteLine($"requests: {all.Length}; A {all.Count(r => r.Kid == a)}, B {all.Count(r => r.Kid == b)}, C {all.Count(r => r.Kid == c)}; " +
                $"failed with a live key: {failed.Length}; refused with a retired key: {all.Count(r => !r.Ok && Excused(r))}");
            Assert.True(failed.Length == 0, $"{failed.Length} requests with a live key failed: " + string.Join("; ", failed.Take(10).Select(f => $"#{f.Seq} {f.Kid} {f.What} via {f.Gate}")));
            foreach (string gate in new[] { "gate1", "gate2", "gate3" })
            {
                Sent first = all.First(r => r.Kid == c && r.Gate == gate);
                Assert.True(first.Ok, $"the first request with the emergency key's token through {gate} failed: {first.What}");
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

    // Retires `kid` with the real CLI on the running server's key directory, waits until the
    // server signs with `next` and publishes its own new next key; returns that key's kid.
    private async Task<string> RetireAsync(string kid, string next, Action retired)
    {
        Support.Cli.Outcome rotate = Support.Cli.Run(["rotate", "--keys", server.KeysDir, "--config", server.ConfigPath, "--retire", kid]);
        Assert.True(rotate.ExitCode == 0, "tessera rotate --retire failed: " + rotate.Stderr);
        retired();
        (string signing, bool switched, _) = await LiveKeys.Until(() => LiveKeys.SigningKid(server), k => k == next, LiveKeys.FollowDeadline);
        Assert.True(switched, $"the server still signs with {signing} after retiring {kid}");
        string newNext = LiveKeys.Metadata(server.KeysDir).Single(k => k.Kid != next).Kid;
        (string[] kids, bool published, _) = await LiveKeys.Until(() => LiveKeys.PublishedKids(server), k => k.Contains(newNext), LiveKeys.FollowDeadline);
        Assert.True(published, $"the server does not publish {newNext}: [{string.Join(", ", kids)}]");
        return newNext;
    }
}
