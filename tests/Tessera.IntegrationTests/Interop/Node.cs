using System.Diagnostics;
using System.Text.Json;
using Tessera.IntegrationTests.Support;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Interop;

/// <summary>
/// Runs the Node.js scripts of tests/interop (panva/jose, pinned in its package-lock.json) as
/// child processes. Missing Node or npm packages FAIL the test: scripts/test.sh installs both.
/// </summary>
public static class Node
{
    public static string ScriptDirectory => Path.Combine(Repository.Root, "tests", "interop");

    /// <summary>Runs <c>node SCRIPT ARGS...</c> in tests/interop; fails the test on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        string jose = Path.Combine(ScriptDirectory, "node_modules", "jose", "package.json");
        if (!File.Exists(jose))
        {
            Assert.Fail($"{jose} is missing: the jose interop tests need the npm packages of tests/interop. Run 'bash scripts/test.sh' (it runs 'npm ci' there), or 'cd tests/interop && npm ci'.");
        }

        (int exit, string stdout, string stderr) = ChildProcess.Run(ChildProcess.Info("node", [script, .. args], ScriptDirectory));
        Assert.True(exit == 0, $"node {script} exited {exit}: {stderr}");
        return stdout;
    }

    /// <summary>jose's verdict on each token (verify.mjs), in order.</summary>
    public static IReadOnlyList<JsonElement> Verify(string jwksFile, string issuer, string audience, long now, params string[] tokens)
    {
        string output = Run("verify.mjs", ["--jwks", jwksFile, "--issuer", issuer, "--audience", audience, "--now", now.ToString(), .. tokens]);
        JsonElement[] verdicts = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(tokens.Length, verdicts.Length);
        return verdicts;
    }
}
