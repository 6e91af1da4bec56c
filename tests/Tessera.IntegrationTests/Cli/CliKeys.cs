using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Cli;

/// <summary>
/// A key directory made by <c>tessera keygen</c>, its JWK Set and one token, shared by the tests
/// of a class (each <c>tessera</c> run costs a process start).
/// </summary>
public sealed class CliKeys : IDisposable
{
    public const string Iss = "https://auth.cli";

    public CliKeys()
    {
        Assert.Equal(0, Support.Cli.Run(["keygen", "--out", Temp["keys"], "--now", "1800000000"]).ExitCode);
        Support.Cli.Outcome jwks = Support.Cli.Run(["jwks", "--keys", Temp["keys"], "--now", "1800000000"]);
        Assert.Equal(0, jwks.ExitCode);
        Jwks = jwks.Stdout;
        File.WriteAllText(Temp["jwks.json"], Jwks);
        Support.Cli.Outcome issue = Support.Cli.Run(["issue", "--keys", Temp["keys"], "--issuer", Iss, "--audience", "telemetry", "--subject", "meter-17", "--now", "1800000000"]);
        Assert.Equal(0, issue.ExitCode);
        Token = issue.Stdout.Trim();
    }

    public TempDir Temp { get; } = new();

    /// <summary>The public JWK Set, as <c>tessera jwks</c> printed it.</summary>
    public string Jwks { get; }

    /// <summary>A token that the JWK Set verifies at <see cref="Now"/>.</summary>
    public string Token { get; }

    public string PublicKeyPem => Directory.GetFiles(Temp["keys"], "*.pub.pem").Single();

    public static string Now => "1800000010";

    /// <summary>The arguments of a verify of <paramref name="token"/> with the policy the token meets.</summary>
    public static string[] VerifyArgs(string token, params string[] keyArgs) =>
        ["verify", token, .. keyArgs, "--issuer", Iss, "--audience", "telemetry", "--now", Now];

    /// <summary>
    /// Runs tessera with a deadline, for inputs that a broken build would read forever; a run
    /// past it fails the test instead of hanging the suite.
    /// </summary>
    public static Support.Cli.Outcome RunWithin(int seconds, IEnumerable<string> args, string? stdin = null)
    {
        (int exit, string stdout, string stderr) = Support.ChildProcess.Run(Support.ChildProcess.Info("dotnet", [Support.Cli.Dll, .. args]), stdin, seconds);
        return new Support.Cli.Outcome(exit, stdout, stderr);
    }

    /// <summary>
    /// Exit 2 with one line on stderr that names what it must (the flag, the URL or file), and no
    /// stack trace.
    /// </summary>
    public static void AssertUsageError(Support.Cli.Outcome result, params string[] mentions)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}, stdout: {result.Stdout}, stderr: {result.Stderr}");
        string stderr = result.Stderr.TrimEnd('\n');
        Assert.False(stderr.Contains('\n', StringComparison.Ordinal), "stderr is not one line: " + result.Stderr);
        Assert.StartsWith("tessera: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        foreach (string mention in mentions)
        {
            Assert.True(stderr.Contains(mention, StringComparison.Ordinal), $"stderr does not name '{mention}': {stderr}");
        }
    }

    public void Dispose() => Temp.Dispose();
}
