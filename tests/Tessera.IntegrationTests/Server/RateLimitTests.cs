// docs/SPEC.md §6 / issue 4: issuance is rate-limited per client; over the limit, 429 with Retry-After.
using System.Globalization;
using System.Net;

namespace Tessera.IntegrationTests.Server;

public sealed class RateLimitTests(RateLimitedServer server) : IClassFixture<RateLimitedServer>
{
    [Fact]
    public async Task Token_FourthRequestInABurst_OverPerClientLimit_Is429WithRetryAfter()
    {
        var replies = new List<Reply>();
        for (int i = 0; i < 4; i++)
        {
            replies.Add(await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "svc"));
        }

        Assert.All(replies.Take(3), r => Checks.TokenResponse(r));
        Reply limited = replies[3];
        Checks.OAuthError(limited, HttpStatusCode.TooManyRequests, "slow_down");
        string retryAfter = limited.Header("Retry-After") ?? throw new Xunit.Sdk.XunitException("429 without Retry-After");
        int seconds = int.Parse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 60);

        // The limit is per client: another client still gets its token.
        Checks.TokenResponse(await server.PostFormAsync("/token", [("grant_type", "client_credentials")], "other"));
        Assert.Contains(server.SecurityLogEvents(), e => e.GetProperty("event").GetString() == "request_denied"
            && e.GetProperty("reason").GetString() == "rate limit per client" && e.GetProperty("client_id").GetString() == "svc");
    }
}
