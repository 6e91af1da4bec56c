// docs/SPEC.md §5 load-time refusals that need a real program beside the library: a writable directory
// and volatile locations refused by the CLI in the same words (one on a fresh tmpfs/ramfs mount in
// a private namespace), weak keys made by openssl, foreign owners set by chown; and keys from the
// real openssl CLI adopted by `tessera keys import`, while keygen's files read back in
// `openssl pkey`. (The in-process refusals are in tests/Tessera.Tests/Lifecycle/KeyRefusalTests.cs.)
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Lifecycle;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Lifecycle;

public sealed class KeyRefusalTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = Store.T0;
    private static readonly Dictionary<string, string> AllowVolatile = new() { [Proc.AllowVolatile] = "1" };

    // ---- file and directory modes ----

    [Theory]
    [InlineData("777")]
    [InlineData("770")]
    [InlineData("730")]
    [InlineData("703")]
    public void Load_Refuses_DirectoryWritableByGroupOrOthers_NamingChmod700(string mode)
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)Convert.ToInt32(mode, 8));

        var ex = Assert.Throws<KeyException>(() => dir.Load());
        Assert.Equal($"{dir.Path} is writable by group or others (mode 0{mode}); run 'chmod 700 {dir.Path}'", ex.Message);

        // The CLI refuses the same directory with the same words and exit 2.
        Outcome o = Proc.Tessera("rotate", "--keys", dir.Path, "--now", Proc.Unix(T0));
        Assert.Equal(new Outcome(2, "", "tessera: " + ex.Message + "\n"), o);
    }

    // ---- volatile locations ----

    [Theory]
    [InlineData("/tmp")]
    [InlineData("/dev/shm")]
    public void Load_Refuses_KeyDirectoryUnderAVolatilePath_UnlessExplicitlyAllowed(string root)
    {
        string scratch = Store.VolatileScratch(root);
        try
        {
            string path = Path.Combine(scratch, "keys");
            StoredKey key = new KeyDirectory(path, allowVolatile: true).Generate(JwsAlgorithm.EdDSA, 4096, T0);
            Assert.Equal(key.Metadata.Kid, Assert.Single(new KeyDirectory(path, allowVolatile: true).Load()).Metadata.Kid);

            var ex = Assert.Throws<KeyException>(() => new KeyDirectory(path).Load());
            Assert.StartsWith($"{path} is under {root}, which is emptied at reboot; keep keys in a persistent directory", ex.Message, StringComparison.Ordinal);
            Assert.Throws<KeyException>(() => new KeyDirectory(path).Rotate(JwsAlgorithm.EdDSA, 4096, T0));

            // The CLI: refused with exit 2, allowed with TESSERA_ALLOW_VOLATILE_KEYS=1.
            Outcome refused = Proc.Tessera("rotate", "--keys", path, "--now", Proc.Unix(T0));
            Assert.Equal(2, refused.ExitCode);
            Assert.Equal("tessera: " + ex.Message + "\n", refused.Stderr);
            Outcome allowed = Proc.Tessera(AllowVolatile, "rotate", "--keys", path, "--now", Proc.Unix(T0));
            Assert.True(allowed.ExitCode == 0, allowed.ToString());
            Assert.Equal(2, new KeyDirectory(path, allowVolatile: true).Load().Count);
        }
        finally
        {
            Store.DeleteTree(scratch);
        }
    }

    // A real tmpfs (and ramfs) mounted in a private mount namespace, at a path under /var/tmp that
    // no prefix rule covers: only /proc/self/mountinfo tells the CLI that it is volatile.
    [Theory]
    [InlineData("tmpfs")]
    [InlineData("ramfs")]
    public void RotateCli_Refuses_KeyDirectoryOnAFreshMount_ReadFromMountinfo(string fstype)
    {
        using var temp = new TempDir();
        string mount = temp["mnt"];
        Directory.CreateDirectory(mount);
        string keys = Path.Combine(mount, "keys");
        string[] rotate = [Proc.Dll, "rotate", "--keys", keys, "--now", Proc.Unix(T0)];

        Outcome refused = InPrivateMount(fstype, mount, rotate, allowVolatile: false);
        if (refused.ExitCode == 97)
        {
            output.WriteLine($"NOTE: cannot mount {fstype} in a private namespace here (unshare/mount refused): {refused}");
            return;
        }

        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith($"tessera: {keys} is on a {fstype} mount ({mount}), which is lost at reboot", refused.Stderr, StringComparison.Ordinal);

        Outcome allowed = InPrivateMount(fstype, mount, rotate, allowVolatile: true);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("no key: the new key is active at once", allowed.Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(mount)); // the mount went with the namespace
    }

    // ---- weak keys ----

    [Fact]
    public void Load_Refuses_Rsa1024KeyFile_NamingTheMinimum()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        string pem = temp["rsa1024.pem"];
        Proc.OpenSslOk("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", pem);
        Store.WriteStored(dir.Path, "legacy-rsa", "RS256", ".key.pem", File.ReadAllText(pem));

        var ex = Assert.Throws<KeyException>(() => dir.Load());
        Assert.Equal("RSA key is 1024 bits; the minimum is 2048 bits", ex.Message);

        // keys import of the same file: exit 2 with the same words; nothing is added.
        File.SetUnixFileMode(pem, Store.Private);
        using var empty = new TempDir();
        Outcome o = Proc.Tessera("keys", "import", "--keys", empty["keys"], "--private", pem, "--now", Proc.Unix(T0));
        Assert.Equal(new Outcome(2, "", "tessera: RSA key is 1024 bits; the minimum is 2048 bits\n"), o);
        Assert.False(Directory.Exists(empty["keys"]));
    }

    // ---- owner ----

    [Fact]
    public void Load_Refuses_PrivateKeyOwnedByAnotherUser_NamingTheUid()
    {
        Assert.Equal(0u, UnixFile.EffectiveUser); // the tests run as root here, so chown works
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        StoredKey key = dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        string file = Path.Combine(dir.Path, key.Metadata.Kid + ".key.pem");
        Chown(file, 1234);

        var ex = Assert.Throws<KeyException>(() => dir.Load());
        Assert.Equal($"{file} is owned by uid 1234, not by this user (uid 0) or root; run 'chown 0 {file}'", ex.Message);
    }

    [Fact]
    public void Load_Refuses_DirectoryOwnedByAnotherUser_NamingTheUid()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        Chown(dir.Path, 1234);

        var ex = Assert.Throws<KeyException>(() => dir.Load());
        Assert.Equal($"{dir.Path} is owned by uid 1234, not by this user (uid 0) or root; run 'chown 0 {dir.Path}'", ex.Message);
    }

    // ---- openssl keys in, keygen keys out ----

    [Fact]
    public void KeysImport_AdoptsOpenSslRsa4096AndEd25519_ActiveInAnEmptyDirectory_NextOtherwise()
    {
        using var temp = new TempDir();
        string keys = temp["keys"];
        string rsa = temp["private.pem"];
        string rsaPub = temp["public.pem"];
        string ed = temp["ed25519.pem"];
        // The seed's own commands (step 1), and the Ed25519 alternative.
        Proc.OpenSslOk("genpkey", "-algorithm", "RSA", "-out", rsa, "-pkeyopt", "rsa_keygen_bits:4096");
        Proc.OpenSslOk("rsa", "-pubout", "-in", rsa, "-out", rsaPub);
        Proc.OpenSslOk("genpkey", "-algorithm", "ed25519", "-out", ed);
        File.SetUnixFileMode(rsa, Store.Private);
        File.SetUnixFileMode(ed, Store.Private);
        string rsaKid = JwsKey.ImportPem(File.ReadAllText(rsa)).Thumbprint;
        string edKid = JwsKey.ImportPem(File.ReadAllText(ed)).Thumbprint;

        Outcome first = Proc.Tessera("keys", "import", "--keys", keys, "--private", rsa, "--now", Proc.Unix(T0));
        Assert.Equal(new Outcome(0, $"{rsaKid} RS256 active\n", ""), first);
        DateTimeOffset later = T0 + TimeSpan.FromHours(5);
        DateTimeOffset activates = later + Store.Schedule.Prepublish;
        Outcome second = Proc.Tessera("keys", "import", "--keys", keys, "--private", ed, "--now", Proc.Unix(later));
        Assert.Equal(new Outcome(0, $"{edKid} EdDSA next, activates {activates:yyyy-MM-ddTHH:mm:ssZ}\n", ""), second);

        // The store holds the openssl keys: the public key Tessera wrote is the one openssl derived.
        Assert.Equal(Der(File.ReadAllText(rsaPub)), Der(File.ReadAllText(Path.Combine(keys, rsaKid + ".pub.pem"))));
        Assert.Equal(Store.Private, File.GetUnixFileMode(Path.Combine(keys, rsaKid + ".key.pem")));
        Assert.Equal(Store.Private, File.GetUnixFileMode(Path.Combine(keys, edKid + ".key.pem")));
        var dir = new KeyDirectory(keys);
        Assert.Equal(rsaKid, dir.ActiveAt(later)!.Metadata.Kid);
        Assert.Equal(4096, dir.ActiveAt(later)!.Key.KeySizeBits);
        Assert.Equal(edKid, dir.ActiveAt(activates)!.Metadata.Kid);
        Assert.Equal(new[] { edKid, rsaKid }.Order(StringComparer.Ordinal), dir.PublishedAt(later).Keys.Select(k => k.KeyId).Order(StringComparer.Ordinal));
        Assert.Equal(activates + Store.Schedule.RetireAfter, dir.Load().Single(k => k.Metadata.Kid == rsaKid).Metadata.Retires);

        // A third import is placed one rotation period after the waiting next key.
        string ed2 = temp["ed25519-2.pem"];
        Proc.OpenSslOk("genpkey", "-algorithm", "ed25519", "-out", ed2);
        File.SetUnixFileMode(ed2, Store.Private);
        Outcome third = Proc.Tessera("keys", "import", "--keys", keys, "--private", ed2, "--now", Proc.Unix(later));
        Assert.Equal(0, third.ExitCode);
        Assert.EndsWith($" EdDSA next, activates {activates + Store.Schedule.RotateEvery:yyyy-MM-ddTHH:mm:ssZ}\n", third.Stdout, StringComparison.Ordinal);

        // The same key again is refused, and the store is left as it was.
        SortedDictionary<string, string> before = Store.Snapshot(keys);
        Outcome again = Proc.Tessera("keys", "import", "--keys", keys, "--private", ed, "--now", Proc.Unix(later));
        Assert.Equal(new Outcome(2, "", $"tessera: Key {edKid} is already in {keys}\n"), again);
        Assert.Equal(before, Store.Snapshot(keys));
    }

    [Theory]
    [InlineData("644")]
    [InlineData("640")]
    [InlineData("604")]
    public void KeysImport_Refuses_SourceFileAccessibleByOthers_NamingChmod600(string mode)
    {
        using var temp = new TempDir();
        string ed = temp["ed25519.pem"];
        Proc.OpenSslOk("genpkey", "-algorithm", "ed25519", "-out", ed);
        File.SetUnixFileMode(ed, (UnixFileMode)Convert.ToInt32(mode, 8));

        Outcome o = Proc.Tessera("keys", "import", "--keys", temp["keys"], "--private", ed, "--now", Proc.Unix(T0));
        Assert.Equal(new Outcome(2, "", $"tessera: {ed} is accessible by group or others (mode {mode}); run 'chmod 600 {ed}' and import again\n"), o);
        Assert.False(Directory.Exists(temp["keys"]));
    }

    [Theory]
    [InlineData("EdDSA", "ED25519 Private-Key")]
    [InlineData("ES256", "Private-Key: (256 bit)")]
    [InlineData("RS256", "Private-Key: (2048 bit")]
    public void KeygenOutput_ReadsInOpenSslPkey(string alg, string opensslSays)
    {
        using var temp = new TempDir();
        string keys = temp["keys"];
        Outcome o = Proc.Tessera("keygen", "--out", keys, "--alg", alg, "--bits", "2048", "--now", Proc.Unix(T0));
        Assert.True(o.ExitCode == 0, o.ToString());
        string kid = o.Stdout.Split(' ')[0];
        string priv = Path.Combine(keys, kid + ".key.pem");
        string pub = Path.Combine(keys, kid + ".pub.pem");

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", File.ReadAllText(priv), StringComparison.Ordinal); // PKCS#8
        Assert.Equal("", Proc.OpenSslOk("pkey", "-in", priv, "-noout"));
        Assert.Equal("", Proc.OpenSslOk("pkey", "-pubin", "-in", pub, "-noout"));
        Assert.Contains(opensslSays, Proc.OpenSslOk("pkey", "-in", priv, "-noout", "-text"), StringComparison.Ordinal);

        // openssl derives from the private key the same public key tessera wrote beside it.
        Assert.Equal(Der(Proc.OpenSslOk("pkey", "-in", priv, "-pubout")), Der(File.ReadAllText(pub)));
    }

    // ---- helpers ----

    private static void Chown(string path, int uid)
    {
        Outcome o = Proc.Run(Proc.Info("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]));
        Assert.True(o.ExitCode == 0, o.ToString());
    }

    private static string Der(string pem) =>
        string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));

    // Runs `unshare -m sh -c 'mount -t TYPE none MOUNT || exit 97; exec dotnet tessera.dll ...'`.
    private static Outcome InPrivateMount(string fstype, string mount, string[] tessera, bool allowVolatile)
    {
        string quoted = string.Join(' ', tessera.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        string script = $"mount -t {fstype} none '{mount}' || exit 97; exec dotnet {quoted}";
        return Proc.Run(Proc.Info("unshare", ["-m", "sh", "-c", script], allowVolatile ? AllowVolatile : null));
    }
}
