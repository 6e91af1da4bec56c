using System.Diagnostics;
using Tessera.IntegrationTests.Support;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Revocation;

/// <summary>
/// docs/SPEC.md §7 end to end through the executables: `tessera revoke --store redis://` writes,
/// a running `tessera verify - --revocation redis://` (a validator process that never restarts)
/// refuses the token within max_staleness (5 s for verify).
/// </summary>
public sealed class CliPropagationTests : IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly TempDir _dir = new();
    private readonly ITestOutputHelper _output;

    public CliPropagationTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _redis.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void RevokeJti_ViaCli_IsRefusedByARunningVerifyProcess_WithinMaxStaleness()
    {
        (string token, string jwks) = KeysAndToken("alice");
        string jti = RevocationKit.Claim(token, "jti");
        string exp = RevocationKit.Claim(token, "exp");
        using var verify = new LineProcess(Support.Cli.Dll, ["verify", "-", "--jwks", jwks, "--issuer", RevocationKit.Issuer, "--audience", "api", "--revocation", _redis.Url, "--json"]);
        Assert.Contains("\"valid\":true", verify.Ask(token), StringComparison.Ordinal);

        Support.Cli.Outcome revoke = Support.Cli.Run(["revoke", "--jti", jti, "--exp", exp, "--store", _redis.Url]);
        Assert.True(revoke.ExitCode == 0, revoke.Stderr);
        Assert.Contains("revoked jti " + jti, revoke.Stdout, StringComparison.Ordinal);

        string answer = "";
        TimeSpan? took = RevocationKit.Within(TimeSpan.FromSeconds(5), () => (answer = verify.Ask(token)).Contains("\"valid\":false", StringComparison.Ordinal), pollMs: 20);
        _output.WriteLine($"refused {took?.TotalMilliseconds:F0} ms after `tessera revoke` returned");
        Assert.True(took is not null, "still accepted 5 s (max_staleness) after the revocation: " + answer);
        Assert.Contains("\"error\":\"revoked\"", answer, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"Token revoked\"", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void RevokeSubject_ViaCli_RefusesThatSubjectsEarlierTokens_Only()
    {
        (string alice, string jwks) = KeysAndToken("alice");
        string bob = Issue("bob");
        long iat = long.Parse(RevocationKit.Claim(alice, "iat"), System.Globalization.CultureInfo.InvariantCulture);
        using var verify = new LineProcess(Support.Cli.Dll, ["verify", "-", "--jwks", jwks, "--issuer", RevocationKit.Issuer, "--audience", "api", "--revocation", _redis.Url, "--json"]);

        // A cutoff equal to the token's iat does not refuse it ("before" is strict).
        Assert.Equal(0, Support.Cli.Run(["revoke", "--subject", "alice", "--before", RevocationKit.Text(iat), "--store", _redis.Url]).ExitCode);
        Thread.Sleep(1500);
        Assert.Contains("\"valid\":true", verify.Ask(alice), StringComparison.Ordinal);

        Assert.Equal(0, Support.Cli.Run(["revoke", "--subject", "alice", "--before", RevocationKit.Text(iat + 1), "--store", _redis.Url]).ExitCode);
        Assert.NotNull(RevocationKit.Within(TimeSpan.FromSeconds(5), () => verify.Ask(alice).Contains("\"error\":\"revoked\"", StringComparison.Ordinal), pollMs: 20));
        Assert.Contains("\"valid\":true", verify.Ask(bob), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OnAnUnreachableOrMalformedStore_ExitsTwo()
    {
        (string token, string jwks) = KeysAndToken("alice");
        string[] common = ["verify", token, "--jwks", jwks, "--issuer", RevocationKit.Issuer, "--audience", "api", "--revocation"];

        Support.Cli.Outcome malformed = Support.Cli.Run([.. common, "redis://127.0.0.1"]);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("--revocation", malformed.Stderr, StringComparison.Ordinal);

        Support.Cli.Outcome unreachable = Support.Cli.Run([.. common, "redis://:Pw-9q-unused@127.0.0.1:1"]);
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains("--revocation", unreachable.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pw-9q-unused", unreachable.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--jti x --until 1900000000", "--until")]
    [InlineData("--jti x", "--exp is required")]
    [InlineData("--jti x --exp 1900000000 --before 5", "--before goes with --subject, --client or --all")]
    [InlineData("--subject alice --client meter", "exactly one of")]
    [InlineData("--exp 1900000000 --all", "--exp goes with --jti")]
    [InlineData("--subject alice --before soon", "--before: 'soon' is not a Unix time")]
    [InlineData("some.token.here", "needs --config")]
    public void Revoke_BadArguments_AreUsageErrors_AndWriteNothing(string args, string expected)
    {
        Support.Cli.Outcome revoke = Support.Cli.Run(["revoke", .. args.Split(' '), "--store", _redis.Url]);
        Assert.Equal(2, revoke.ExitCode);
        Assert.Contains(expected, revoke.Stderr, StringComparison.Ordinal);
        Assert.Equal("0", _redis.Cli("DBSIZE"));
    }

    [Fact]
    public void Revoke_NeedsExactlyOneOfConfigAndStore()
    {
        Support.Cli.Outcome neither = Support.Cli.Run(["revoke", "--subject", "alice"]);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("give --config FILE or --store URI", neither.Stderr, StringComparison.Ordinal);
        Support.Cli.Outcome malformed = Support.Cli.Run(["revoke", "--subject", "alice", "--store", "redis://nohost"]);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("--store: ", malformed.Stderr, StringComparison.Ordinal);
    }

    private (string Token, string Jwks) KeysAndToken(string subject)
    {
        Support.Cli.Outcome keygen = Support.Cli.Run(["keygen", "--alg", "EdDSA", "--out", _dir["keys"]]);
        Assert.True(keygen.ExitCode == 0, keygen.Stderr);
        Support.Cli.Outcome jwks = Support.Cli.Run(["jwks", "--keys", _dir["keys"]]);
        Assert.True(jwks.ExitCode == 0, jwks.Stderr);
        File.WriteAllText(_dir["jwks.json"], jwks.Stdout);
        return (Issue(subject), _dir["jwks.json"]);
    }

    private string Issue(string subject)
    {
        Support.Cli.Outcome issue = Support.Cli.Run(["issue", "--keys", _dir["keys"], "--issuer", RevocationKit.Issuer, "--audience", "api", "--subject", subject]);
        Assert.True(issue.ExitCode == 0, issue.Stderr);
        return issue.Stdout.Trim();
    }
}

/// <summary>A long-running `dotnet tessera.dll ...` that answers one line per line written; killed at dispose.</summary>
public sealed class LineProcess : IDisposable
{
    private readonly Process _process;

    public LineProcess(string dll, IEnumerable<string> args)
    {
        _process = Process.Start(ChildProcess.Info("dotnet", [dll, .. args]))!;
        _ = _process.StandardError.ReadToEndAsync();
    }

    public string Ask(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
        Task<string?> answer = _process.StandardOutput.ReadLineAsync();
        Assert.True(answer.Wait(TimeSpan.FromSeconds(60)), "no answer in 60 s");
        return answer.Result ?? throw new InvalidOperationException("the process ended (exit " + (_process.HasExited ? _process.ExitCode : -1) + ")");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
