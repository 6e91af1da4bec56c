using System.Text.Json;
using Tessera.Server;
using Tessera.Server.Endpoints;
using Tessera.Tests.Support;

namespace Tessera.Tests.Configuration;

/// <summary>
/// A flood of identical refusals costs a few security-log lines a minute, and the count of what
/// was held back is written, so nothing is lost from the record (issue 8, finding 5).
/// </summary>
public sealed class RefusalLogTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeClock _clock = new(Tokens.Now);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task IdenticalRefusals_BeyondTenAMinute_AreCounted_AndTheCountIsWrittenNextMinute()
    {
        using (var log = new SecurityLog(_dir["security.log"], _clock, null))
        {
            var refusals = new RefusalLog(log, _clock);
            for (int i = 0; i < 25; i++)
            {
                await refusals.WriteAsync("client_auth_failed", "10.1.2.3", "svc", ("reason", "wrong secret"));
            }

            _clock.Now += 61;
            await refusals.WriteAsync("client_auth_failed", "10.1.2.3", "svc", ("reason", "wrong secret"));
        }

        JsonElement[] lines = [.. File.ReadAllLines(_dir["security.log"]).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal(RefusalLog.WrittenPerWindow + 1, lines.Length);
        Assert.All(lines[..^1], l => Assert.False(l.TryGetProperty("repeated", out _)));
        Assert.Equal(15, lines[^1].GetProperty("repeated").GetInt64());
    }

    [Fact]
    public async Task DifferentAddressesOrReasons_AreCountedApart()
    {
        using (var log = new SecurityLog(_dir["security.log"], _clock, null))
        {
            var refusals = new RefusalLog(log, _clock);
            for (int i = 0; i < 12; i++)
            {
                await refusals.WriteAsync("client_auth_failed", "10.1.2.3", "svc", ("reason", "wrong secret"));
                await refusals.WriteAsync("client_auth_failed", "10.9.9.9", "svc", ("reason", "wrong secret"));
                await refusals.WriteAsync("client_auth_failed", "10.1.2.3", "svc", ("reason", "unknown client"));
            }
        }

        Assert.Equal(3 * RefusalLog.WrittenPerWindow, File.ReadAllLines(_dir["security.log"]).Length);
    }
}
