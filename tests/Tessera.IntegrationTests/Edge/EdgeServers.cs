using Tessera.IntegrationTests.Server;

namespace Tessera.IntegrationTests.Edge;

/// <summary>A token service signing with EdDSA (Tessera's default), which stock JwtBearer cannot verify.</summary>
public sealed class EdDsaServer : TokenServer
{
    protected override string Alg => "EdDSA";
}

/// <summary>EdDSA, audience demo-api, a device client with demo:read only: what samples/resource-server expects.</summary>
public sealed class SampleIssuer : TokenServer
{
    protected override string Alg => "EdDSA";

    protected override IEnumerable<ClientSpec> Clients => [new("meter-12", ["demo:read"], ["demo-api"])];

    protected override void Configure(System.Text.Json.Nodes.JsonObject config) =>
        config["audiences"] = new System.Text.Json.Nodes.JsonArray("demo-api");
}

/// <summary>ES256 with an active and a pre-published next key, retired one after the other by its test.</summary>
public sealed class RotatedUnderLoadServer : TokenServer
{
}
