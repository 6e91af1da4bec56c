// Issuance only from internal networks (SPEC §6, the seed's "allow JWT issuance requests only
// from internal CIDR blocks"). The client address is the TCP peer, unless the peer is a trusted
// proxy: then X-Forwarded-For is read right to left and the first address that is not itself a
// trusted proxy is the client (RFC 7239 §5.2 reasoning). A header from anyone else is ignored.
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Tessera.Server;

internal sealed class NetworkPolicy
{
    private readonly IPNetwork[] _allowed;
    private readonly IPNetwork[] _proxies;

    public NetworkPolicy(IEnumerable<string> allowedCidrs, IEnumerable<string> trustedProxies)
    {
        _allowed = [.. allowedCidrs.Select(Parse)];
        _proxies = [.. trustedProxies.Select(Parse)];
    }

    public static IPNetwork Parse(string cidr) =>
        cidr.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(cidr)
        : IPAddress.Parse(cidr) is { } ip ? new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
        : throw new FormatException(cidr);

    public IPAddress ClientAddress(HttpContext http)
    {
        IPAddress peer = Normalize(http.Connection.RemoteIpAddress ?? IPAddress.None);
        if (!Contains(_proxies, peer))
        {
            return peer;
        }

        string forwarded = string.Join(',', http.Request.Headers["X-Forwarded-For"].ToArray());
        string[] hops = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out IPAddress? hop))
            {
                return peer;
            }

            hop = Normalize(hop);
            if (!Contains(_proxies, hop))
            {
                return hop;
            }
        }

        return peer;
    }

    public bool MayIssue(IPAddress client) => Contains(_allowed, client);

    private static bool Contains(IPNetwork[] networks, IPAddress address) => networks.Any(n => n.Contains(address));

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
