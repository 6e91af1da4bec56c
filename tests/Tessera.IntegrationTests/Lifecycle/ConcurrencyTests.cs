// docs/SPEC.md §5 "concurrent writers serialised by a lock; a half-written key is never loaded": several
// real `tessera` processes racing on one directory, and a `tessera rotate` killed with SIGKILL in
// the middle of generating RSA-4096 keys. (Readers racing an in-process writer are a unit test:
// tests/Tessera.Tests/Lifecycle/ConcurrencyTests.cs.)
using System.Diagnostics;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Lifecycle;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Lifecycle;

public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RetireAfter = Store.Schedule.RetireAfter;

    [Fact]
    public void ConcurrentRotates_OnAnEmptyDirectory_LeaveExactlyOneActiveAndOneNextKey()
    {
        for (int round = 0; round < 3; round++)
        {
            using var temp = new TempDir();
            string path = temp["keys"];
            List<Outcome> outcomes = RunTogether(4, _ => ["rotate", "--keys", path, "--now", Proc.Unix(Store.T0)]);

            Assert.All(outcomes, o => Assert.True(o.ExitCode == 0 && o.Stderr.Length == 0, o.ToString()));

            // One process made both keys; the lock made every other one see them and do nothing.
            Outcome maker = Assert.Single(outcomes, o => o.Stdout != "nothing to do\n");
            Assert.StartsWith("no key: the new key is active at once\n", maker.Stdout, StringComparison.Ordinal);
            Assert.Equal(2, maker.Stdout.Split('\n').Count(l => l.StartsWith("created key ", StringComparison.Ordinal)));

            List<KeyMetadata> keys = Store.AssertConsistent(path, Store.T0);
            Assert.Equal(2, keys.Count);
            Assert.Equal(
                new[] { ".lock" }.Concat(keys.SelectMany(k => Store.FilesOf(k.Kid))).Order(StringComparer.Ordinal),
                Store.Names(path));
        }
    }

    [Fact]
    public void ConcurrentKeygens_AreSerialised_EachPlacedAfterThePrevious()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        List<Outcome> outcomes = RunTogether(3, _ => ["keygen", "--out", path, "--now", Proc.Unix(Store.T0)]);
        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, o.ToString()));

        // Whatever order the lock gave them: one active now, one next after the prepublish time,
        // one a rotation period after that; each earlier key retires after its successor activates.
        List<KeyMetadata> keys = [.. Store.Metadata(path).OrderBy(k => k.Activates)];
        Assert.Equal([Store.T0, Store.T0 + TimeSpan.FromDays(2), Store.T0 + TimeSpan.FromDays(32)], keys.Select(k => k.Activates));
        Assert.Equal([keys[1].Activates + RetireAfter, keys[2].Activates + RetireAfter, null], keys.Select(k => k.Retires));
        Assert.Single(outcomes, o => o.Stdout.EndsWith(" EdDSA active\n", StringComparison.Ordinal));
        Assert.Equal(3, new KeyDirectory(path).Load().Count);
    }

    [Fact]
    public void SigkilledRotate_OnAnEmptyDirectory_LeavesALoadableStore_ThatTheNextRotateCompletes()
    {
        int killed = 0;
        foreach (string when in new[] { "150", "500", "900", "1300", "first metadata" })
        {
            using var temp = new TempDir();
            string path = temp["keys"];
            string[] rotate = ["rotate", "--keys", path, "--alg", "RS256", "--bits", "4096", "--now", Proc.Unix(Store.T0)];
            bool wasKilled = StartAndKill(rotate, when == "first metadata" ? () => WaitForMetadata(path) : () => Thread.Sleep(int.Parse(when)));
            killed += wasKilled ? 1 : 0;
            output.WriteLine($"killed at {when}: {wasKilled}; left {string.Join(" ", Directory.Exists(path) ? Store.Names(path) : [])}");

            AssertLoadsWhatIsComplete(path);

            Outcome next = Proc.Tessera(rotate);
            Assert.True(next.ExitCode == 0, next.ToString());
            List<KeyMetadata> keys = Store.AssertConsistent(path, Store.T0);
            Assert.Equal(2, keys.Count);
            AssertSuccessorsExist(keys);
        }

        Assert.True(killed > 0, "no rotate was still running when killed; the test did not test anything");
    }

    [Fact]
    public void SigkilledRotate_OnDay30_LeavesALoadableStore_ThatTheNextRotateCompletes()
    {
        using var temp = new TempDir();
        string template = temp["template"];
        new KeyDirectory(template).Rotate(JwsAlgorithm.RS256, 4096, Store.T0);
        DateTimeOffset day30 = Store.T0 + TimeSpan.FromDays(30);
        string b = Store.Metadata(template).Single(k => k.Activates == day30).Kid;
        int killed = 0;
        foreach (string when in new[] { "150", "400", "B's metadata rewritten" })
        {
            string path = temp["keys-" + Guid.NewGuid().ToString("N")[..8]];
            CopyStore(template, path);
            string bMetadata = Path.Combine(path, b + ".json");
            string before = File.ReadAllText(bMetadata);
            string[] rotate = ["rotate", "--keys", path, "--alg", "RS256", "--bits", "4096", "--now", Proc.Unix(day30)];
            bool wasKilled = StartAndKill(rotate, when.StartsWith('B')
                ? () => Store.Eventually(() => File.ReadAllText(bMetadata) != before, 60, pollMs: 2)
                : () => Thread.Sleep(int.Parse(when)));
            killed += wasKilled ? 1 : 0;
            output.WriteLine($"killed at {when}: {wasKilled}; left {string.Join(" ", Store.Names(path))}");

            AssertLoadsWhatIsComplete(path);

            Outcome next = Proc.Tessera(rotate);
            Assert.True(next.ExitCode == 0, next.ToString());
            List<KeyMetadata> keys = Store.AssertConsistent(path, day30);
            Assert.Equal(3, keys.Count);
            Assert.Equal(1, Store.Count(keys, day30, KeyState.Retiring));
            AssertSuccessorsExist(keys);
        }

        Assert.True(killed > 0, "no rotate was still running when killed; the test did not test anything");
    }

    // A rotate killed right after the first key's metadata lands (while the second RSA-4096 key is
    // being generated) must not leave a key scheduled to retire with no successor: until some
    // later rotate runs, such a store has no signing key at all after that retirement.
    [Fact]
    public void SigkilledRotate_NeverLeavesARetirementWithoutItsSuccessor()
    {
        using var temp = new TempDir();
        string path = temp["keys"];
        string[] rotate = ["rotate", "--keys", path, "--alg", "RS256", "--bits", "4096", "--now", Proc.Unix(Store.T0)];
        bool wasKilled = StartAndKill(rotate, () => WaitForMetadata(path));
        output.WriteLine($"killed: {wasKilled}; left {string.Join(" ", Store.Names(path))}");

        List<KeyMetadata> keys = AssertLoadsWhatIsComplete(path);
        Assert.NotEmpty(keys);
        DateTimeOffset latest = keys.Max(k => k.Retires ?? k.Activates);
        Assert.True(new KeyDirectory(path).ActiveAt(latest + TimeSpan.FromSeconds(1)) is not null,
            $"the store left by the killed rotate has no signing key from {latest:O}: {string.Join("; ", keys)}");
        AssertSuccessorsExist(keys);
    }

    private static void WaitForMetadata(string path) => Store.Eventually(
        () => Directory.Exists(path) && Directory.EnumerateFiles(path, "*.json").Any(f => !Path.GetFileName(f).StartsWith('.')), 60, pollMs: 2);

    // Starts every process before waiting on any of them.
    private static List<Outcome> RunTogether(int count, Func<int, string[]> args)
    {
        var processes = Enumerable.Range(0, count).Select(i => Proc.TesseraInfo(args(i))).Select(i => Process.Start(i)!).ToList();
        var reads = processes.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        var outcomes = new List<Outcome>();
        for (int i = 0; i < count; i++)
        {
            processes[i].StandardInput.Close();
            Assert.True(processes[i].WaitForExit(TimeSpan.FromSeconds(120)), "tessera did not finish");
            outcomes.Add(new Outcome(processes[i].ExitCode, reads[i].Out.Result, reads[i].Err.Result));
            processes[i].Dispose();
        }

        return outcomes;
    }

    // Starts tessera, waits, and sends SIGKILL if it is still running. True when it was killed.
    private static bool StartAndKill(string[] args, Action wait)
    {
        using var process = Process.Start(Proc.TesseraInfo(args))!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        wait();
        if (!process.HasExited)
        {
            process.Kill(); // SIGKILL on Linux: no handler, no finally blocks run
        }

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)));
        bool killed = process.ExitCode == 137; // 128 + SIGKILL
        Assert.True(killed || process.ExitCode == 0, $"exit {process.ExitCode}: {stderr.Result}");
        return killed;
    }

    // Whatever a killed writer left: Load() succeeds and returns exactly the keys whose metadata
    // file is present, each complete; temporary files start with '.'.
    private static List<KeyMetadata> AssertLoadsWhatIsComplete(string path)
    {
        if (!Directory.Exists(path))
        {
            return [];
        }

        List<KeyMetadata> keys = Store.Metadata(path);
        IReadOnlyList<StoredKey> loaded = new KeyDirectory(path).Load();
        Assert.Equal(keys.Select(k => k.Kid), loaded.Select(k => k.Metadata.Kid).Order(StringComparer.Ordinal));
        foreach (KeyMetadata meta in keys)
        {
            Assert.All(Store.FilesOf(meta.Kid), f => Assert.True(File.Exists(Path.Combine(path, f)), f + " missing"));
        }

        foreach (string name in Store.Names(path).Where(n => n.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            Assert.StartsWith(".", name, StringComparison.Ordinal);
        }

        return keys;
    }

    // Every key with a retirement time has the successor whose activation set it.
    private static void AssertSuccessorsExist(List<KeyMetadata> keys)
    {
        foreach (KeyMetadata key in keys.Where(k => k.Retires is not null))
        {
            Assert.True(keys.Any(k => k.Activates + RetireAfter == key.Retires),
                $"{key.Kid} retires {key.Retires:O} but no key activates at {key.Retires - RetireAfter:O}");
        }
    }

    private static void CopyStore(string from, string to)
    {
        Directory.CreateDirectory(to, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (string file in Directory.EnumerateFiles(from))
        {
            string target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }
}
