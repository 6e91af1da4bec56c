// Issuance only from internal networks (docs/SPEC.md §6, the seed's "allow JWT issuance requests
// only from internal CIDR blocks"). The client address is the TCP peer, unless the peer is a
// trusted proxy: then X-Forwarded-For is read right to left and the first address that is not
// itself a trusted proxy is the client (RFC 7239 §5.2 reasoning). A header from anyone else is
// ignored. A hop that is not an address in its one canonical text form (dotted quad without
// leading zeros; RFC 5952 for IPv6) makes the client unknown, and an unknown client is refused:
// falling back to the proxy's own, often internal, address would let a bad header in, and the
// lenient IPv4 forms (012.1.1.1, 0x0a.1.1.1, 167837953, 10.1) all parse as something in 10/8.
using System.Diagnostics.CodeAnalysis;
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

    /// <summary>The client's address, or null when a trusted proxy sent a hop that is not an address.</summary>
    public IPAddress? ClientAddress(HttpContext http)
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
            if (!TryParseCanonical(hops[i], out IPAddress? hop))
            {
                return null;
            }

            if (!Contains(_proxies, hop))
            {
                return hop;
            }
        }

        return peer;
    }

    public bool IsTrustedProxy(IPAddress peer) => Contains(_proxies, Normalize(peer));

    public bool MayIssue(IPAddress? client) => client is not null && Contains(_allowed, client);

    /// <summary>How an address (or its absence) is written in the log and keyed in the rate limiter.</summary>
    public static string Describe(IPAddress? client) => client?.ToString() ?? "unknown";

    /// <summary>An address written exactly as .NET writes it back: one text per address.</summary>
    public static bool TryParseCanonical(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        if (!IPAddress.TryParse(text, out address) || address.ToString() != text)
        {
            address = null;
            return false;
        }

        address = Normalize(address);
        return true;
    }

    private static bool Contains(IPNetwork[] networks, IPAddress address) => networks.Any(n => n.Contains(address));

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
