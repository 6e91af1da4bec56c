using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Keys;

public sealed class KeyDirectoryTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(Tokens.Now);

    [Fact]
    public void Generate_InEmptyDirectory_WritesAnActiveKeyWithStrictModes()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        StoredKey key = dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, key.Metadata.Kid + ".key.pem")));
        Assert.True(File.Exists(Path.Combine(dir.Path, key.Metadata.Kid + ".pub.pem")));
        Assert.Equal(key.Key.Thumbprint, key.Metadata.Kid);
        Assert.Equal(key.Metadata.Kid, dir.ActiveAt(T0)!.Metadata.Kid);
    }

    [Fact]
    public void Generate_BesideAnActiveKey_MakesThePublishedNextKey()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        StoredKey first = dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
        StoredKey second = dir.Generate(JwsAlgorithm.EdDSA, 4096, T0 + TimeSpan.FromDays(28));
        Assert.Equal(T0 + TimeSpan.FromDays(30), second.Metadata.Activates);

        // Before activation: the first key signs, both are published.
        Assert.Equal(first.Metadata.Kid, dir.ActiveAt(T0 + TimeSpan.FromDays(29))!.Metadata.Kid);
        Assert.Equal(2, dir.PublishedAt(T0 + TimeSpan.FromDays(29)).Keys.Count);

        // After activation: the second signs; the first stays published for max lifetime + skew.
        DateTimeOffset after = second.Metadata.Activates + TimeSpan.FromMinutes(1);
        Assert.Equal(second.Metadata.Kid, dir.ActiveAt(after)!.Metadata.Kid);
        Assert.Equal(2, dir.PublishedAt(after).Keys.Count);
        DateTimeOffset gone = second.Metadata.Activates + TimeSpan.FromMinutes(61);
        Assert.Equal(second.Metadata.Kid, Assert.Single(dir.PublishedAt(gone).Keys).KeyId);
    }

    [Fact]
    public void Load_Refuses_APrivateKeyReadableByOthers_SayingHowToFixIt()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        StoredKey key = dir.Generate(JwsAlgorithm.ES256, 4096, T0);
        string file = Path.Combine(dir.Path, key.Metadata.Kid + ".key.pem");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var ex = Assert.Throws<KeyException>(() => dir.Load());
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_HmacKey_IsStoredAsAPrivateJwk_AndNeverPublished()
    {
        using var temp = new TempDir();
        var dir = new KeyDirectory(temp["keys"]);
        StoredKey key = dir.Generate(JwsAlgorithm.HS256, 4096, T0);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, key.Metadata.Kid + ".key.jwk")));
        Assert.Equal("""{"keys":[]}""", dir.PublishedAt(T0).ToJwks().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        Assert.Equal(JwsAlgorithm.HS256, dir.ActiveAt(T0)!.Key.Algorithm);
    }
}
