// The child processes of the key lifecycle tests (tessera, openssl, unshare, chown) with a
// controlled environment. The store helpers they share with the unit tests are in
// tests/Shared/Lifecycle/Store.cs.
using System.Diagnostics;
using Tessera.IntegrationTests.Support;

namespace Tessera.IntegrationTests.Lifecycle;

using SupportCli = Tessera.IntegrationTests.Support.Cli;

internal sealed record Outcome(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

internal static class Proc
{
    public const string AllowVolatile = "TESSERA_ALLOW_VOLATILE_KEYS";

    public static string Dll => SupportCli.Dll;

    /// <summary>A start record with every TESSERA_* variable removed, then <paramref name="env"/> applied.</summary>
    public static ProcessStartInfo Info(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        ProcessStartInfo start = ChildProcess.Info(file, args);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("TESSERA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in env ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>The tessera CLI as a child process (not started).</summary>
    public static ProcessStartInfo TesseraInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) =>
        Info("dotnet", new[] { Dll }.Concat(args), env);

    public static Outcome Run(ProcessStartInfo start)
    {
        (int exit, string stdout, string stderr) = ChildProcess.Run(start);
        return new Outcome(exit, stdout, stderr);
    }

    public static Outcome Tessera(params string[] args) => Run(TesseraInfo(args));

    public static Outcome Tessera(IReadOnlyDictionary<string, string> env, params string[] args) => Run(TesseraInfo(args, env));

    public static Outcome OpenSsl(params string[] args) => Run(Info("openssl", args));

    /// <summary>Runs openssl and fails the test when it fails.</summary>
    public static string OpenSslOk(params string[] args)
    {
        Outcome o = OpenSsl(args);
        Assert.True(o.ExitCode == 0, "openssl " + string.Join(' ', args) + " failed: " + o);
        return o.Stdout;
    }

    public static string Unix(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
