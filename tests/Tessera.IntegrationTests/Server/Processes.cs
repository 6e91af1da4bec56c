using System.Diagnostics;
using Tessera.IntegrationTests.Support;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Server;

/// <summary>Runs real programs (openssl, node) as child processes for the server tests.</summary>
public static class Processes
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="file"/> with stdin closed; never throws on a non-zero exit.</summary>
    public static Outcome Run(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        ProcessStartInfo start = ChildProcess.Info(file, args, workingDirectory);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        (int exit, string stdout, string stderr) = ChildProcess.Run(start, timeoutSeconds: 60);
        return new Outcome(exit, stdout, stderr);
    }

    /// <summary>Runs a tests/interop node script (panva/jose); fails the test on a non-zero exit.</summary>
    public static string Node(string script, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        string directory = Interop.Node.ScriptDirectory;
        if (!File.Exists(Path.Combine(directory, "node_modules", "jose", "package.json")))
        {
            Assert.Fail($"{directory}/node_modules/jose is missing: run 'cd tests/interop && npm ci' (scripts/test.sh does).");
        }

        Outcome outcome = Run("node", [script, .. args], directory, environment);
        Assert.True(outcome.ExitCode == 0, $"node {script} exited {outcome.ExitCode}: {outcome.Stderr}");
        return outcome.Stdout;
    }
}
