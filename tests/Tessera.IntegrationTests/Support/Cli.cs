namespace Tessera.IntegrationTests.Support;

/// <summary>Runs the real <c>tessera</c> executable (built beside the tests) as a child process.</summary>
public static class Cli
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "tessera.dll");

    public static Outcome Run(IEnumerable<string> args, string? stdin = null, string? workingDirectory = null)
    {
        (int exit, string stdout, string stderr) = ChildProcess.Run(ChildProcess.Info("dotnet", [Dll, .. args], workingDirectory), stdin);
        return new Outcome(exit, stdout, stderr);
    }
}
