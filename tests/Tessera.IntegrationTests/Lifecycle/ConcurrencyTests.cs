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
            (bool wasKilled, int exit) = StartAndKill(rotate, when == "first metadata" ? () => WaitForMetadata(path) : () => Thread.Sleep(int.Parse(when)));
            killed += wasKilled ? 1 : 0;
            output.WriteLine($"killed at {when}: {wasKilled} (exit {exit}); left {string.Join(" ", Directory.Exists(path) ? Store.Names(path) : [])}");

            // Once the first key's metadata is on disk the second RSA-4096 key is still being made:
            // that kill always lands mid-rotate. (The timed ones may come before or after the work.)
            Assert.True(wasKilled || when != "first metadata", $"the rotate was not killed after its first metadata (exit {exit})");

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
            (bool wasKilled, int exit) = StartAndKill(rotate, when.StartsWith('B')
                ? () => Store.Eventually(() => File.ReadAllText(bMetadata) != before, 60, pollMs: 2)
                : () => Thread.Sleep(int.Parse(when)));
            killed += wasKilled ? 1 : 0;
            output.WriteLine($"killed at {when}: {wasKilled} (exit {exit}); left {string.Join(" ", Store.Names(path))}");

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
        (bool killed, int exit) = StartAndKill(rotate, () => WaitForMetadata(path));
        output.WriteLine($"killed: {killed} (exit {exit}); left {string.Join(" ", Store.Names(path))}");

        // The scenario, asserted rather than logged: the rotate was still running when SIGKILL
        // came (it ended by the signal), and it came between the two keys, while the second
        // RSA-4096 key was being generated: one key's metadata on disk, not two.
        Assert.True(killed, $"the rotate was not killed mid-way (exit {exit}): the test did not test anything");
        List<KeyMetadata> keys = AssertLoadsWhatIsComplete(path);
        Assert.True(keys.Count == 1, $"SIGKILL landed after {keys.Count} keys' metadata, not between the first and the second: {string.Join("; ", keys)}");
        DateTimeOffset latest = keys.Max(k => k.Retires ?? k.Activates);
        Assert.True(new KeyDirectory(path).ActiveAt(latest + TimeSpan.FromSeconds(1)) is not null,
            $"the store left by the killed rotate has no signing key from {latest:O}: {string.Join("; ", keys)}");
        AssertSuccessorsExist(keys);
    }

    private static void WaitForMetadata(string path) => Store.Eventually(
        () => Directory.Exists(path) && Directory.EnumerateFiles(path, "*.json").Any(f => !Path.GetFileName(f).StartsWith('.')), 60, pollMs: 2);

    // Starts every process before waiting on any of them, with one deadline for all. Whatever
    // happens (a start that throws, a process past the deadline, a failed assertion), no process
    // it started (nor anything those started) is left running: the finally kills them all.
    private static List<Outcome> RunTogether(int count, Func<int, string[]> args)
    {
        var processes = new List<Process>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                processes.Add(Process.Start(Proc.TesseraInfo(args(i)))!);
            }

            var reads = processes.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
            processes.ForEach(p => p.StandardInput.Close());
            var deadline = Stopwatch.StartNew();
            var outcomes = new List<Outcome>();
            for (int i = 0; i < count; i++)
            {
                TimeSpan left = TimeSpan.FromSeconds(120) - deadline.Elapsed;
                Assert.True(processes[i].WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero), $"tessera {string.Join(' ', args(i))} did not finish in 120 s");
                outcomes.Add(new Outcome(processes[i].ExitCode, reads[i].Out.Result, reads[i].Err.Result));
            }

            return outcomes;
        }
        finally
        {
            foreach (Process process in processes)
            {
                KillTree(process);
                process.Dispose();
            }
        }
    }

    // Kills the process and its descendants if it still runs, and reaps it.
    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // it exited between the check and the kill
        }
    }

    // Starts tessera, waits, and sends SIGKILL if it is still running. Killed: the kill was sent
    // while the process ran and it then ended by that signal (exit 137 = 128 + SIGKILL, which is
    // how .NET reports a child ended by a signal); otherwise it finished first, with exit 0.
    private static (bool Killed, int ExitCode) StartAndKill(string[] args, Action wait)
    {
        using var process = Process.Start(Proc.TesseraInfo(args))!;
        try
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            wait();
            bool sent = false;
            if (!process.HasExited)
            {
                process.Kill(); // SIGKILL on Linux: no handler, no finally blocks run
                sent = true;
            }

            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), "tessera did not exit after SIGKILL");
            bool killed = sent && process.ExitCode == 137;
            Assert.True(killed || process.ExitCode == 0, $"exit {process.ExitCode} (SIGKILL sent: {sent}): {stderr.Result}");
            return (killed, process.ExitCode);
        }
        finally
        {
            KillTree(process);
        }
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
