// issuance.rate_limit (docs/SPEC.md §4, §6): fixed windows per client and per address, no
// queueing; a refused request gets 429 slow_down with Retry-After.
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Endpoints;

internal sealed class RateLimits
{
    private readonly PartitionedRateLimiter<string>? _perClient;
    private readonly PartitionedRateLimiter<string>? _perAddress;

    public RateLimits((int Permits, TimeSpan Window) perClient, (int Permits, TimeSpan Window) perAddress)
    {
        _perClient = Limiter(perClient);
        _perAddress = Limiter(perAddress);
    }

    /// <summary>Null when the address may go on; else the 429 to answer.</summary>
    public IResult? ForAddress(string address, HttpContext http) => Limited(_perAddress, address, http);

    /// <summary>Null when the client may go on; else the 429 to answer.</summary>
    public IResult? ForClient(string clientId, HttpContext http) => Limited(_perClient, clientId, http);

    private static IResult? Limited(PartitionedRateLimiter<string>? limiter, string key, HttpContext http)
    {
        if (limiter is null)
        {
            return null;
        }

        using RateLimitLease lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        int retry = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        return OAuthError.Of("slow_down", "Too many requests", StatusCodes.Status429TooManyRequests);
    }

    private static PartitionedRateLimiter<string>? Limiter((int Permits, TimeSpan Window) rate) =>
        rate.Permits == 0
            ? null
            : PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = rate.Permits,
                Window = rate.Window,
                QueueLimit = 0,
            }));
}
