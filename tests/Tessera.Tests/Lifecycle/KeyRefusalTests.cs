// docs/SPEC.md §5 load-time refusals, each with the message that names the fix, in process: loose
// private key modes, volatile locations (/tmp, tmpfs, ramfs and devtmpfs mounts read from
// /proc/self/mountinfo), weak HMAC secrets. (Refusals that also run the CLI, openssl or chown are
// integration tests: tests/Tessera.IntegrationTests/Lifecycle/KeyRefusalTests.cs.)
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Lifecycle;

public sealed class KeyRefusalTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = Store.T0;

    // ---- file and directory modes ----

    [Theory]
    [InlineData("644")]
    [InlineData("640")]
    [InlineData("604")]
    [InlineData("620")]
    [InlineData("602")]
    [InlineData("610")]
    [InlineData("666")]
    public void Load_Refuses_PrivateKeyAccessibleByGroupOrOthers_NamingChmod600(string mode)
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        StoredKey key = dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        string file = Path.Combine(dir.Path, key.Metadata.Kid + ".key.pem");
        File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32(mode, 8));

        var ex = Assert.Throws<KeyException>(() => dir.Load());
        Assert.Equal($"{file} is accessible by group or others (mode 0{mode}); run 'chmod 600 {file}'", ex.Message);
    }

    [Theory]
    [InlineData("600")]
    [InlineData("400")]
    public void Load_Accepts_PrivateKeyOnlyTheOwnerCanRead(string mode)
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        StoredKey key = dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        File.SetUnixFileMode(Path.Combine(dir.Path, key.Metadata.Kid + ".key.pem"), (UnixFileMode)Convert.ToInt32(mode, 8));
        Assert.Equal(key.Metadata.Kid, Assert.Single(dir.Load()).Metadata.Kid);
    }

    [Fact]
    public void Load_Accepts_DirectoryOthersCanReadButNotWrite()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        Assert.Single(dir.Load());
    }

    // ---- volatile locations ----

    [Fact]
    public void Load_Refuses_APersistentLookingPathThatIsASymlinkIntoTmp()
    {
        string scratch = Store.VolatileScratch();
        using var temp = new TempDir();
        try
        {
            string real = Path.Combine(scratch, "keys");
            new KeyDirectory(real, allowVolatile: true).Generate(JwsAlgorithm.EdDSA, 4096, T0);
            string link = temp["keys"];
            File.CreateSymbolicLink(link, real);

            var ex = Assert.Throws<KeyException>(() => new KeyDirectory(link).Load());
            Assert.StartsWith($"{link} is under /tmp", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Store.DeleteTree(scratch);
        }
    }

    // Every tmpfs or ramfs mount this process sees is volatile, wherever it is mounted.
    [Fact]
    public void VolatileLocation_FlagsEveryTmpfsAndRamfsMountInMountinfo()
    {
        List<(string Mount, string Type)> mounts = [.. Mounts().Where(m => m.Type is "tmpfs" or "ramfs")];
        Assert.Contains(mounts, m => m.Mount == "/dev/shm"); // tmpfs on this machine
        foreach ((string mount, string type) in mounts)
        {
            string probe = Path.Combine(mount, "tessera-keys-probe");
            string? why = VolatileLocation.Reason(probe);
            output.WriteLine($"{type} {mount}: {why}");
            Assert.NotNull(why);
        }
    }

    // devtmpfs is tmpfs under another name (kernel: shmem); keys there vanish at reboot just the same.
    [Fact]
    public void VolatileLocation_FlagsDevtmpfsMounts()
    {
        List<string> mounts = [.. Mounts().Where(m => m.Type == "devtmpfs").Select(m => m.Mount)];
        if (mounts.Count == 0)
        {
            output.WriteLine("NOTE: no devtmpfs mount in /proc/self/mountinfo; nothing to check here");
            return;
        }

        foreach (string mount in mounts)
        {
            string probe = Path.Combine(mount, "tessera-keys-probe");
            Assert.True(VolatileLocation.Reason(probe) is not null, $"{probe} is on a devtmpfs mount ({mount}) but is not refused as volatile");
        }
    }

    // ---- weak keys ----

    [Fact]
    public void Load_Refuses_16ByteHmacSecret_NamingTheMinimum()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Generate(JwsAlgorithm.HS256, 4096, T0);
        string secret = Base64Url.Encode(new byte[16].Select((_, i) => (byte)(i * 7 + 1)).ToArray());
        Store.WriteStored(dir.Path, "short-secret", "HS256", ".key.jwk", $$"""{"kty":"oct","k":"{{secret}}","alg":"HS256"}""");

        var ex = Assert.Throws<KeyException>(() => dir.Load());
        Assert.Equal("HMAC secret for HS256 is 16 bytes; the minimum is 32 bytes (256 bits)", ex.Message);
    }

    // ---- helpers ----

    private static IEnumerable<(string Mount, string Type)> Mounts()
    {
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string[] f = line.Split(' ');
            int dash = Array.IndexOf(f, "-");
            if (f.Length > 4 && dash > 0 && dash + 1 < f.Length)
            {
                yield return (f[4].Replace("\\040", " ", StringComparison.Ordinal), f[dash + 1]);
            }
        }
    }
}
