using System.Text.Json.Nodes;
using Tessera.IntegrationTests.Support;
using Tessera.Server;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Cli;

/// <summary>
/// Issue 8, findings 3 and 12: what `serve` and `client add` refuse at start-up, with exit 2 and
/// the fix named. A client's private_key_jwt keys must be asymmetric (an HMAC "public" key is a
/// shared secret, often published); the configuration file and the development profile's
/// directory must be changeable by no one but this user.
/// </summary>
public sealed class ConfigHardeningTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ClientAdd_RefusesAJwksWithAnHmacKey()
    {
        string config = Profile();
        Support.Cli.Outcome add = Support.Cli.Run(["client", "add", "gateway", "--config", config, "--jwks", HmacJwks()]);

        Assert.Equal(2, add.ExitCode);
        Assert.Contains("HMAC", add.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("gateway", File.ReadAllText(config), StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_RefusesAClientWhoseJwksHoldsAnHmacKey()
    {
        string config = Profile();
        JsonNode root = JsonNode.Parse(File.ReadAllText(config))!;
        root["clients"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "gateway",
            ["scopes"] = new JsonArray("demo:read"),
            ["audiences"] = new JsonArray("demo-api"),
            ["jwks"] = HmacJwks(),
        });
        File.WriteAllText(config, root.ToJsonString());
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Support.Cli.Outcome serve = Support.Cli.Run(["serve", "--config", config]);
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("clients[1].jwks", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("asymmetric", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_RefusesAConfigFileWritableByOthers_NamingTheFix()
    {
        string config = Profile();
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);

        Support.Cli.Outcome serve = Support.Cli.Run(["serve", "--config", config]);
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains($"chmod 600 {config}", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_RefusesAConfigFileOwnedByAnotherUser()
    {
        string config = Profile();
        (int chown, _, string error) = ChildProcess.Run(ChildProcess.Info("chown", ["1234", config]));
        Assert.True(chown == 0, "chown failed (the tests run as root in CI): " + error);

        Support.Cli.Outcome serve = Support.Cli.Run(["serve", "--config", config]);
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("owned by uid 1234", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_DevelopmentProfile_RefusesAnExistingVarWritableByOthers()
    {
        string work = _dir["work"];
        Directory.CreateDirectory(work);
        string var = Path.Combine(work, "var");
        Directory.CreateDirectory(var);
        File.SetUnixFileMode(var, (UnixFileMode)0b111_111_111);

        Support.Cli.Outcome serve = Support.Cli.Run(["serve"], workingDirectory: work);
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("chmod 700", serve.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(var, "auth.json")), "nothing is written into a directory others could change");
    }

    private string Profile() => DevelopmentProfile.Prepare(_dir["profile"], TextWriter.Null);

    private string HmacJwks()
    {
        string path = _dir["hmac-jwks.json"];
        File.WriteAllText(path, """{"keys":[{"kty":"oct","alg":"HS256","kid":"shared","k":"c2hhcmVkLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFi"}]}""");
        return path;
    }
}
