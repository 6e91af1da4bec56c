using System.Diagnostics;

namespace Tessera.Tests.Server;

/// <summary>Runs real programs (openssl, node) as child processes for the server tests.</summary>
public static class Processes
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="file"/> with stdin closed; never throws on a non-zero exit.</summary>
    public static Outcome Run(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in 60 s");
        }

        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
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
