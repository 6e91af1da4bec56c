// Shared helpers for the key lifecycle tests, unit and integration alike: byte-exact snapshots of a
// key directory, and the store invariants of docs/SPEC.md §5 checked from the files themselves
// rather than through the product's own answers where that is possible. (The child processes of
// the integration tests are in tests/Tessera.IntegrationTests/Lifecycle/Proc.cs.)
using System.Security.Cryptography;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Lifecycle;

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

    /// <summary>The kid of the signing key at <paramref name="at"/>, from the metadata files.</summary>
    public static string ActiveKid(string dir, DateTimeOffset at) => KeyLifecycle.Active(Metadata(dir), at)!.Kid;

    /// <summary>The kid of the one key in <paramref name="state"/> at <paramref name="at"/>, from the metadata files.</summary>
    public static string Kid(string dir, DateTimeOffset at, KeyState state)
    {
        List<KeyMetadata> all = Metadata(dir);
        return Assert.Single(all, k => KeyLifecycle.StateOf(k, all, at) == state).Kid;
    }

    /// <summary>The kids a <see cref="KeyRing"/> publishes now, sorted.</summary>
    public static List<string> Published(KeyRing ring) => [.. ring.Published.Keys.Select(k => k.KeyId).Order(StringComparer.Ordinal)];

    public static List<string> Sorted(params string[] kids) => [.. kids.Order(StringComparer.Ordinal)];

    /// <summary>Writes a key file (mode 0600) and its metadata, active since a day before <see cref="T0"/>, straight into a store.</summary>
    public static void WriteStored(string dir, string kid, string alg, string suffix, string content)
    {
        string file = Path.Combine(dir, kid + suffix);
        File.WriteAllText(file, content);
        File.SetUnixFileMode(file, Private);
        File.WriteAllText(Path.Combine(dir, kid + ".json"), new KeyMetadata(kid, alg, T0, T0 - TimeSpan.FromDays(1), null).ToJson());
    }

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
