// The server configurations the tests need; each is one real process per test class.
using System.Text.Json.Nodes;

namespace Tessera.IntegrationTests.Server;

/// <summary>ES256, default issuance policy (loopback allowed); two secret clients and one private_key_jwt client.</summary>
public sealed class MainServer : TokenServer
{
    protected override IEnumerable<ClientSpec> Clients =>
    [
        new("svc", ["read", "write"], ["api"]),
        new("other", ["read"], ["api"]),
        new("signer", ["read"], ["api"], PrivateKeyJwt: true),
    ];
}

/// <summary>RS256 (2048-bit keys, to keep start-up short), for the stock JwtBearer interop.</summary>
public sealed class Rs256Server : TokenServer
{
    protected override string Alg => "RS256";
}

/// <summary>Issuance only from 10.0.0.0/8, no trusted proxy: loopback is refused, and its X-Forwarded-For ignored.</summary>
public sealed class InternalOnlyServer : TokenServer
{
    protected override void Configure(JsonObject config) =>
        config["issuance"] = new JsonObject { ["allowed_cidrs"] = new JsonArray("10.0.0.0/8") };
}

/// <summary>Issuance only from 10.0.0.0/8, with 127.0.0.1 a trusted proxy whose X-Forwarded-For is honoured.</summary>
public sealed class BehindProxyServer : TokenServer
{
    protected override void Configure(JsonObject config) =>
        config["issuance"] = new JsonObject
        {
            ["allowed_cidrs"] = new JsonArray("10.0.0.0/8"),
            ["trusted_proxies"] = new JsonArray("127.0.0.1"),
        };
}

/// <summary>Three token requests per client per minute.</summary>
public sealed class RateLimitedServer : TokenServer
{
    protected override void Configure(JsonObject config) =>
        config["issuance"] = new JsonObject { ["rate_limit"] = new JsonObject { ["per_client"] = "3/m" } };
}

/// <summary>
/// Keys prepared by <c>tessera rotate --now (now − 30 d + <see cref="SwitchDelay"/>)</c>: the first key is
/// active, and the next one (published two days ahead) becomes active <see cref="SwitchDelay"/> seconds
/// after the fixture prepared them, while the server runs.
/// </summary>
public sealed class RotatingServer : TokenServer
{
    public const int SwitchDelay = 25;

    /// <summary>When the keys were made (unix seconds).</summary>
    public long PreparedAt { get; private set; }

    protected override long? KeysNow()
    {
        PreparedAt = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        return PreparedAt - (30 * 86400) + SwitchDelay;
    }
}

/// <summary>
/// Keys prepared by <c>tessera rotate --now (now − 60 d − 1 h)</c>: the first key A is retired,
/// the second key B has been active for 30 days and an hour, and no next key is published. A
/// planned <c>tessera rotate</c> run by the test against <see cref="TokenServer.KeysDir"/> while
/// the server runs is what publishes the next key and makes it sign.
/// </summary>
public sealed class PlannedRotationServer : TokenServer
{
    protected override long? KeysNow() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - (60 * 86400) - 3600;
}

/// <summary>
/// Keys as a first <c>tessera rotate</c> makes them (active now, next two days ahead), for a
/// <c>tessera rotate --retire</c> the test runs against <see cref="TokenServer.KeysDir"/> while the server runs.
/// </summary>
public sealed class EmergencyRetireServer : TokenServer
{
}

/// <summary>Default policy; restarted by its tests.</summary>
public sealed class RevocationServer : TokenServer
{
}

/// <summary>
/// Loopback is both allowed and the trusted proxy, as when a proxy on the same host forwards: a
/// bad X-Forwarded-For must not fall back to the proxy's own, allowed, address.
/// </summary>
public sealed class ProxyOnAllowedNetworkServer : TokenServer
{
    protected override void Configure(JsonObject config) =>
        config["issuance"] = new JsonObject
        {
            ["allowed_cidrs"] = new JsonArray("127.0.0.0/8", "10.0.0.0/8"),
            ["trusted_proxies"] = new JsonArray("127.0.0.1"),
        };
}

/// <summary>Two resource servers' clients: svc and peer for "api", outsider for "billing" only.</summary>
public sealed class IntrospectionServer : TokenServer
{
    protected override IEnumerable<ClientSpec> Clients =>
    [
        new("svc", ["read"], ["api"]),
        new("peer", ["read"], ["api"]),
        new("outsider", ["read"], ["billing"]),
    ];
}

/// <summary>Five form posts per address per minute; per client unlimited.</summary>
public sealed class AddressLimitedServer : TokenServer
{
    protected override void Configure(JsonObject config) =>
        config["issuance"] = new JsonObject { ["rate_limit"] = new JsonObject { ["per_address"] = "5/m", ["per_client"] = "0" } };
}

/// <summary>No rate limits at all: what is left to bound a flood of refusals is the log summary.</summary>
public sealed class UnlimitedServer : TokenServer
{
    protected override void Configure(JsonObject config) =>
        config["issuance"] = new JsonObject { ["rate_limit"] = new JsonObject { ["per_address"] = "0", ["per_client"] = "0" } };
}
