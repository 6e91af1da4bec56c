// docs/SPEC.md §5 / issue 4: "a tessera rotate while serving switches the signing key at activation
// time, and the JWKS follows, without a restart". The keys were prepared so that the next key
// activates RotatingServer.SwitchDelay seconds after preparation, while the server runs.
using System.Text.Json;
using Tessera.Keys;

namespace Tessera.IntegrationTests.Server;

public sealed class RotationTests(RotatingServer server) : IClassFixture<RotatingServer>
{
    [Fact]
    public async Task Rotation_WhileServing_SwitchesSigningKeyAtActivation_BothTokensVerify_NoRestart()
    {
        int pid = server.ProcessId;
        KeyMetadata[] keys = [.. Directory.GetFiles(server.KeysDir, "*.json").Select(f => KeyMetadata.Parse(File.ReadAllText(f), f)).OrderBy(k => k.Activates)];
        Assert.Equal(2, keys.Length);
        (KeyMetadata first, KeyMetadata next) = (keys[0], keys[1]);
        Assert.Equal(server.PreparedAt + RotatingServer.SwitchDelay, next.Activates.ToUnixTimeSeconds());

        string before = await server.TokenAsync("svc");
        DateTimeOffset issuedBefore = TimeProvider.System.GetUtcNow();
        Assert.True(issuedBefore < next.Activates, $"precondition: the server took until {issuedBefore:O} to serve, past the planned switch at {next.Activates:O}; raise RotatingServer.SwitchDelay");
        Assert.Equal(first.Kid, Jwt.Kid(before));
        // The next key is published ahead of its activation.
        Assert.Equal(new[] { first.Kid, next.Kid }.Order(StringComparer.Ordinal), (await PublishedKids()).Order(StringComparer.Ordinal));

        TimeSpan wait = next.Activates - TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(1.5);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        string after = await server.TokenAsync("svc");

        Assert.Equal(next.Kid, Jwt.Kid(after));
        Assert.NotEqual(Jwt.Kid(before), Jwt.Kid(after));
        Assert.Equal(pid, server.ProcessId);
        Assert.True(server.IsRunning);

        // The JWKS still holds the old key (retiring: its tokens are still live) and the new one.
        Assert.Equal(new[] { first.Kid, next.Kid }.Order(StringComparer.Ordinal), (await PublishedKids()).Order(StringComparer.Ordinal));

        IReadOnlyList<JsonElement> jose = Checks.JoseRemoteVerify(server, "api", before, after);
        Assert.True(jose[0].GetProperty("valid").GetBoolean(), "jose refused the token from before the switch: " + jose[0]);
        Assert.True(jose[1].GetProperty("valid").GetBoolean(), "jose refused the token from after the switch: " + jose[1]);
        foreach (string token in new[] { before, after })
        {
            (int exit, JsonElement answer) = Checks.TesseraVerify(server, token);
            Assert.True(exit == 0, "tessera verify refused " + Jwt.Kid(token) + ": " + answer);
        }

        // The server's own introspection follows the switch too.
        Assert.True((await server.IntrospectAsync(before, "svc")).GetProperty("active").GetBoolean());
        Assert.True((await server.IntrospectAsync(after, "svc")).GetProperty("active").GetBoolean());
    }

    private async Task<string[]> PublishedKids()
    {
        Reply jwks = await server.GetAsync("/.well-known/jwks.json");
        return [.. jwks.Json.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }
}
