// Interop with Microsoft.IdentityModel.JsonWebTokens through the real `tessera` executable: a token
// IdentityModel's handler creates verifies with `tessera verify --key` and the exported public key.
// (The in-process interop tests are in tests/Tessera.Tests/Interop/IdentityModelInteropTests.cs.)
using Microsoft.IdentityModel.Tokens;
using Tessera.Tests.Interop;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Interop;

using static Tessera.Tests.Interop.IdentityModelPeer;
using Cli = Tessera.IntegrationTests.Support.Cli;

public sealed class IdentityModelInteropTests
{
    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha256)]
    public void TesseraCli_Accepts_IdentityModelToken_WithItsExportedPublicKeyPem(string alg)
    {
        // The kid IdentityModel writes is its own RFC 7638 thumbprint; `verify --key` names the
        // PEM key by Tessera's thumbprint, so this passes only when the two computations agree.
        using PeerKey peer = PeerKey.Create(alg);
        using var dir = new TempDir();
        File.WriteAllText(dir["public.pem"], peer.TesseraKey.ExportPublicKeyPem());
        string token = Create(peer.SigningKey, alg, Guid.NewGuid().ToString("N"));

        Cli.Outcome ok = Verify(token, dir["public.pem"], alg);
        Cli.Outcome forged = Verify(Tamper.SignatureBit(token), dir["public.pem"], alg);

        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);
        Assert.Contains("\"valid\":true", ok.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, forged.ExitCode);
        Assert.Contains("\"error\":\"invalid_signature\"", forged.Stdout, StringComparison.Ordinal);
    }

    private static Cli.Outcome Verify(string token, string pemFile, string alg) =>
        Cli.Run(["verify", token, "--key", pemFile, "--alg", alg, "--issuer", Tokens.Issuer, "--audience", Tokens.Audience,
            "--now", Tokens.Now.ToString(), "--json"]);
}
