using System.Text.Json.Nodes;
using Tessera.Server;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Cli;

/// <summary>
/// A revocation store that is configured but cannot be used is an error naming the key (exit 2)
/// for a one-shot command, and never a silent fallback: `serve` with redis:// once opened a
/// SQLite file named /HOST:PORT and reported ready, so revocations were not shared (docs/SPEC.md
/// §7). A service on an unreachable Redis starts not ready instead (Revocation/RedisServiceTests).
/// </summary>
public sealed class RevocationStoreStartupTests : IDisposable
{
    // Port 1 (tcpmux): nothing listens there on a test machine, and nothing may bind it unprivileged.
    private const string RedisStore = "redis://tessera:s3cret@127.0.0.1:1";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Revoke_OnAnUnreachableRedisStore_ExitsTwo_WithoutThePassword_AndCreatesNoFile()
    {
        string config = ConfigWithStore(RedisStore);
        Support.Cli.Outcome revoke = Support.Cli.Run(["revoke", "--jti", "abc", "--exp", "1900000000", "--config", config], workingDirectory: _dir.Path);

        Assert.Equal(2, revoke.ExitCode);
        Assert.Contains("revocation.store", revoke.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", revoke.Stdout + revoke.Stderr, StringComparison.Ordinal);
        AssertNoStoreFileFor("127.0.0.1:1");
    }

    [Fact]
    public void Serve_RefusesASqliteUriWithAHost_AsAConfigurationError()
    {
        string config = ConfigWithStore("sqlite://10.0.0.5:16379");
        Support.Cli.Outcome serve = Support.Cli.Run(["serve", "--config", config], workingDirectory: _dir.Path);

        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("revocation.store", serve.Stderr, StringComparison.Ordinal);
        AssertNoStoreFileFor("10.0.0.5:16379");
    }

    // The development profile's files (certificate, keys directory, demo client), with the store replaced.
    private string ConfigWithStore(string store)
    {
        string path = DevelopmentProfile.Prepare(_dir["profile"], TextWriter.Null);
        JsonNode config = JsonNode.Parse(File.ReadAllText(path))!;
        config["revocation"]!["store"] = store;
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private void AssertNoStoreFileFor(string hostPort)
    {
        Assert.False(File.Exists("/" + hostPort), "/" + hostPort + " was created");
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*" + hostPort + "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*.db", SearchOption.AllDirectories));
    }
}
