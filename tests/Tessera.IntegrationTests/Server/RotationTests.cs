// docs/SPEC.md §5 / issue 4: "a tessera rotate while serving switches the signing key at activation
// time, and the JWKS follows, without a restart".
// - RotationTests: the keys were prepared before the start so that the next key activates
//   RotatingServer.SwitchDelay seconds later, while the server runs. No file changes while it
//   serves: this is the schedule alone taking effect on time.
// - PlannedRotationWhileServingTests, EmergencyRotationWhileServingTests (issue 14, M3): a real
//   `tessera rotate` (planned; then `--retire` of the active kid) runs against the RUNNING
//   server's key directory, and the served JWKS and the kid of new tokens follow within seconds,
//   in the same process. A server that read a copy of its key directory made at start-up keeps
//   both unchanged and fails these two.
using System.Globalization;
using System.Text.Json;
using Tessera.Keys;

namespace Tessera.IntegrationTests.Server;

using Cli = Tessera.IntegrationTests.Support.Cli;

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

public sealed class PlannedRotationWhileServingTests(PlannedRotationServer server) : IClassFixture<PlannedRotationServer>
{
    // How long before its activation the rotate below publishes the next key: room for the CLI
    // to run and for the server to notice the new files before the key is due to sign.
    private const int Lead = 10;

    [Fact]
    public async Task TesseraRotate_OnTheRunningServersKeys_PublishesTheNextKeyAhead_ThenItSigns_SameProcess()
    {
        int pid = server.ProcessId;
        KeyMetadata[] start = LiveKeys.Metadata(server.KeysDir);
        Assert.Equal(2, start.Length);
        (KeyMetadata a, KeyMetadata b) = (start[0], start[1]);
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        Assert.True(a.Retires <= now && b.Activates <= now && b.Retires is null, "precondition: A retired, B active, no next key: " + string.Join("; ", start));
        Assert.Equal(new[] { b.Kid }, await LiveKeys.PublishedKids(server));
        string before = await server.TokenAsync("svc");
        Assert.Equal(b.Kid, Jwt.Kid(before));

        // The planned rotation B -> C, run as the rotation timer runs it, with its clock moved
        // so that the key it publishes (one prepublish period ahead) activates Lead seconds from now.
        DateTimeOffset switchAt = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + Lead);
        long rotateNow = (switchAt - new KeySchedule().Prepublish).ToUnixTimeSeconds();
        Cli.Outcome rotate = Cli.Run(["rotate", "--keys", server.KeysDir, "--config", server.ConfigPath, "--now", rotateNow.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(rotate.ExitCode == 0, "tessera rotate failed: " + rotate.Stderr);
        DateTimeOffset rotated = TimeProvider.System.GetUtcNow();
        KeyMetadata[] keys = LiveKeys.Metadata(server.KeysDir);
        Assert.DoesNotContain(keys, k => k.Kid == a.Kid); // retired, so removed
        KeyMetadata c = Assert.Single(keys, k => k.Kid != b.Kid);
        Assert.Equal(switchAt, c.Activates);
        Assert.True(rotated < switchAt - TimeSpan.FromSeconds(3), $"precondition: tessera rotate took until {rotated:O}, too close to the switch at {switchAt:O}; raise Lead");

        // The served JWKS follows the directory: C is published ahead of its activation.
        (string[] kids, bool published, DateTimeOffset publishedAt) = await LiveKeys.Until(
            () => LiveKeys.PublishedKids(server), k => k.SequenceEqual(LiveKeys.Sorted(b.Kid, c.Kid)), LiveKeys.FollowDeadline);
        Assert.True(published, $"{LiveKeys.FollowDeadline.TotalSeconds} s after tessera rotate published {c.Kid}, the server still serves the JWKS [{string.Join(", ", kids)}]: it does not follow its key directory\n{server.Output}");
        Assert.True(publishedAt < c.Activates, $"the JWKS showed {c.Kid} only at {publishedAt:O}, after its activation at {c.Activates:O}");

        // From its activation, the same process signs new tokens with C.
        (string kid, bool switched, _) = await LiveKeys.Until(
            () => LiveKeys.SigningKid(server), k => k == c.Kid, c.Activates - TimeProvider.System.GetUtcNow() + LiveKeys.FollowDeadline);
        Assert.True(switched, $"{LiveKeys.FollowDeadline.TotalSeconds} s after {c.Kid} activated, new tokens are still signed with {kid}");
        string after = await server.TokenAsync("svc");
        Assert.Equal(c.Kid, Jwt.Kid(after));
        Assert.Equal(pid, server.ProcessId);
        Assert.True(server.IsRunning);

        // B is retiring: still published, and its token still introspects as active beside C's.
        Assert.Equal(LiveKeys.Sorted(b.Kid, c.Kid), await LiveKeys.PublishedKids(server));
        Assert.True((await server.IntrospectAsync(before, "svc")).GetProperty("active").GetBoolean());
        Assert.True((await server.IntrospectAsync(after, "svc")).GetProperty("active").GetBoolean());
    }
}

public sealed class EmergencyRotationWhileServingTests(EmergencyRetireServer server) : IClassFixture<EmergencyRetireServer>
{
    [Fact]
    public async Task TesseraRotateRetire_OfTheActiveKid_OnTheRunningServersKeys_DropsIt_AndTheNextKeySigns_SameProcess()
    {
        int pid = server.ProcessId;
        KeyMetadata[] start = LiveKeys.Metadata(server.KeysDir);
        Assert.Equal(2, start.Length);
        (KeyMetadata a, KeyMetadata b) = (start[0], start[1]);
        Assert.True(b.Activates > TimeProvider.System.GetUtcNow(), "precondition: B is the next key: " + string.Join("; ", start));
        Assert.Equal(LiveKeys.Sorted(a.Kid, b.Kid), await LiveKeys.PublishedKids(server));
        string before = await server.TokenAsync("svc");
        Assert.Equal(a.Kid, Jwt.Kid(before));
        Assert.True((await server.IntrospectAsync(before, "svc")).GetProperty("active").GetBoolean());

        // EMERGENCY: A leaves the key set at once; B, the next key, signs from now, and a new next key C is published.
        Cli.Outcome retire = Cli.Run(["rotate", "--keys", server.KeysDir, "--config", server.ConfigPath, "--retire", a.Kid]);
        Assert.True(retire.ExitCode == 0, "tessera rotate --retire failed: " + retire.Stderr);
        Assert.Contains($"EMERGENCY: retired key {a.Kid}", retire.Stderr, StringComparison.Ordinal);
        KeyMetadata[] keys = LiveKeys.Metadata(server.KeysDir);
        Assert.DoesNotContain(keys, k => k.Kid == a.Kid);
        Assert.True(keys.Single(k => k.Kid == b.Kid).Activates <= TimeProvider.System.GetUtcNow(), "B was not activated early: " + string.Join("; ", keys));
        KeyMetadata c = Assert.Single(keys, k => k.Kid != b.Kid);

        (string[] kids, bool published, _) = await LiveKeys.Until(
            () => LiveKeys.PublishedKids(server), k => k.SequenceEqual(LiveKeys.Sorted(b.Kid, c.Kid)), LiveKeys.FollowDeadline);
        Assert.True(published, $"{LiveKeys.FollowDeadline.TotalSeconds} s after tessera rotate --retire {a.Kid}, the server still serves the JWKS [{string.Join(", ", kids)}]: it does not follow its key directory\n{server.Output}");

        (string kid, bool switched, _) = await LiveKeys.Until(() => LiveKeys.SigningKid(server), k => k == b.Kid, LiveKeys.FollowDeadline);
        Assert.True(switched, $"{LiveKeys.FollowDeadline.TotalSeconds} s after {a.Kid} was retired, new tokens are still signed with {kid}");
        Assert.Equal(pid, server.ProcessId);
        Assert.True(server.IsRunning);

        // A token signed with the retired key is no longer accepted by the server itself.
        Assert.False((await server.IntrospectAsync(before, "svc")).GetProperty("active").GetBoolean());
    }
}
