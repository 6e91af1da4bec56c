// Shared helpers for the key lifecycle tests: real child processes (tessera, openssl, unshare)
// with a controlled environment, byte-exact snapshots of a key directory, and the store
// invariants of docs/SPEC.md §5 checked from the files themselves rather than through the product's
// own answers where that is possible.
using System.Diagnostics;
using System.Security.Cryptography;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Lifecycle;

using SupportCli = Tessera.Tests.Support.Cli;

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

internal static class Store
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(Tokens.Now);

    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static readonly KeySchedule Schedule = new();

    /// <summary>Every entry of <paramref name="dir"/> with its mode and the SHA-256 of its bytes.</summary>
    public static SortedDictionary<string, string> Snapshot(string dir)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFileSystemEntries(dir))
        {
            files[Path.GetFileName(file)] = Convert.ToString((int)File.GetUnixFileMode(file), 8) + " "
                + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return files;
    }

    /// <summary>The metadata files of the store (name does not start with '.'), parsed.</summary>
    public static List<KeyMetadata> Metadata(string dir) =>
        [.. Directory.EnumerateFiles(dir, "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(f => KeyMetadata.Parse(File.ReadAllText(f), f))];

    public static List<string> Names(string dir) =>
        [.. Directory.EnumerateFileSystemEntries(dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    /// <summary>The files a complete key has (asymmetric: private, public, metadata).</summary>
    public static string[] FilesOf(string kid) => [kid + ".json", kid + ".key.pem", kid + ".pub.pem"];

    public static int Count(IReadOnlyList<KeyMetadata> all, DateTimeOffset at, KeyState state) =>
        all.Count(k => KeyLifecycle.StateOf(k, all, at) == state);

    /// <summary>
    /// A complete, loadable store at <paramref name="now"/>: exactly one active and one next key,
    /// every metadata file with its private (0600) and public key, and Load() agreeing.
    /// </summary>
    public static List<KeyMetadata> AssertConsistent(string dir, DateTimeOffset now)
    {
        List<KeyMetadata> all = Metadata(dir);
        Assert.Equal(1, Count(all, now, KeyState.Active));
        Assert.Equal(1, Count(all, now, KeyState.Next));
        foreach (KeyMetadata meta in all)
        {
            foreach (string file in FilesOf(meta.Kid))
            {
                Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} is missing for metadata {meta.Kid}");
            }

            Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(dir, meta.Kid + ".key.pem")));
        }

        IReadOnlyList<StoredKey> loaded = new KeyDirectory(dir).Load();
        Assert.Equal(all.Select(k => k.Kid).Order(StringComparer.Ordinal), loaded.Select(k => k.Metadata.Kid).Order(StringComparer.Ordinal));
        Assert.All(loaded, k => Assert.True(k.Key.HasPrivateKey));
        Assert.All(loaded, k => Assert.Equal(k.Metadata.Kid, k.Key.Thumbprint));
        return all;
    }

    /// <summary>Creates a fresh directory under /tmp (a volatile location) for refusal tests.</summary>
    public static string VolatileScratch(string root = "/tmp")
    {
        string path = Path.Combine(root, "tessera-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteTree(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Polls <paramref name="condition"/> every <paramref name="pollMs"/> for up to <paramref name="seconds"/>.</summary>
    public static bool Eventually(Func<bool> condition, double seconds = 10, int pollMs = 50)
    {
        long deadline = Environment.TickCount64 + (long)(seconds * 1000);
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            Thread.Sleep(pollMs);
        }
    }
}
