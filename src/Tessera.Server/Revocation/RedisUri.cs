// From a parsed redis://, rediss:// or redis-sentinel:// store URI (RevocationStoreUri) to the
// client's settings: user and password percent-decoded, the database number, TLS for rediss://,
// the Sentinel service name; short timeouts and a quick reconnect, so an outage turns into
// "stale" within max_staleness and a returning Redis is used again within a second or so.
using System.Globalization;
using StackExchange.Redis;

namespace Tessera.Server.Revocation;

internal static class RedisUri
{
    public static ConfigurationOptions Options(RevocationStoreUri uri, TimeSpan maxStaleness)
    {
        string text = uri.Text;
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        string rest = text[(scheme + 3)..];
        int at = rest.LastIndexOf('@');
        string? userInfo = at < 0 ? null : rest[..at];
        string afterUser = rest[(at + 1)..];
        int slash = afterUser.IndexOf('/', StringComparison.Ordinal);
        string hosts = slash < 0 ? afterUser : afterUser[..slash];
        string? tail = slash < 0 ? null : afterUser[(slash + 1)..];

        int timeout = (int)Math.Clamp(maxStaleness.TotalMilliseconds / 2, 500, 5000);
        var options = new ConfigurationOptions
        {
            ClientName = "tessera",
            ConnectTimeout = Math.Max(timeout, 2000),
            SyncTimeout = timeout,
            AsyncTimeout = timeout,
            ConnectRetry = 1,
            ReconnectRetryPolicy = new LinearRetry(500),
            Ssl = text.StartsWith("rediss://", StringComparison.Ordinal),
        };
        foreach (string host in hosts.Split(','))
        {
            int colon = host.LastIndexOf(':');
            options.EndPoints.Add(host[..colon].Trim('[', ']'), int.Parse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture));
        }

        if (userInfo is not null)
        {
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            string user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            options.User = user.Length == 0 ? null : user;
            options.Password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        if (uri.Kind == RevocationStoreKind.RedisSentinel)
        {
            options.ServiceName = tail;
        }
        else if (!string.IsNullOrEmpty(tail))
        {
            options.DefaultDatabase = int.Parse(tail, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return options;
    }

    /// <summary>The password of <paramref name="options"/> removed from <paramref name="message"/>.</summary>
    public static string Redact(string message, ConfigurationOptions options) =>
        string.IsNullOrEmpty(options.Password) ? message : message.Replace(options.Password, "***", StringComparison.Ordinal);
}
