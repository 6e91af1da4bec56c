using Tessera.IntegrationTests.Server;

namespace Tessera.IntegrationTests.Edge;

/// <summary>A token service signing with EdDSA (Tessera's default), which stock JwtBearer cannot verify.</summary>
public sealed class EdDsaServer : TokenServer
{
    protected override string Alg => "EdDSA";
}
