// One SoftHSM2 token directory for the whole test process. SOFTHSM2_CONF is read by the module
// when it is loaded and is process-wide, so every HSM test is in one collection whose fixture
// sets it once, before any backend loads the module, and never changes it.
using Tessera.IntegrationTests.Support;
using Tessera.Keys.Pkcs11;

namespace Tessera.IntegrationTests.Hsm;

public sealed class SoftHsm : IDisposable
{
    public const string Token = "tessera-test";
    public const string OtherToken = "tessera-other";
    private const string Pin = "4821-7730";
    private const string OtherPin = "9163-0045";

    private static readonly string[] ModuleCandidates =
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib64/pkcs11/libsofthsm2.so",
        "/usr/local/lib/softhsm/libsofthsm2.so",
    ];

    public SoftHsm()
    {
        Module = ModuleCandidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("libsofthsm2.so not found; run 'bash scripts/test.sh' (it installs softhsm2)");
        Directory = Path.Combine(Path.GetTempPath(), "tessera-hsm-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tokens"));
        string conf = Path.Combine(Directory, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {Path.Combine(Directory, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        // .NET keeps its own copy of the environment: the module's getenv sees only libc's.
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", conf);
        if (NativeEnvironment.setenv("SOFTHSM2_CONF", conf, 1) != 0)
        {
            throw new InvalidOperationException("setenv SOFTHSM2_CONF failed");
        }

        InitToken(conf, Token, Pin);
        InitToken(conf, OtherToken, OtherPin);
        PinFile = WritePin("pin", Pin, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Backend = Pkcs11Backend.Open(Module, Token, PinFile);
    }

    public string Module { get; }

    public string Directory { get; }

    public string PinFile { get; }

    /// <summary>The one backend on <see cref="Token"/>, logged in, shared by the tests.</summary>
    public Pkcs11Backend Backend { get; }

    /// <summary>The PINs, for tests that check no message ever shows them.</summary>
    public static IReadOnlyList<string> Pins { get; } = [Pin, OtherPin, "0000-1111"];

    public string WritePin(string name, string pin, UnixFileMode mode)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, pin + "\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose()
    {
        Backend.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void InitToken(string conf, string label, string pin)
    {
        var start = ChildProcess.Info("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", "5500-2291", "--pin", pin]);
        start.Environment["SOFTHSM2_CONF"] = conf;
        (int code, string stdout, string stderr) = ChildProcess.Run(start);
        if (code != 0)
        {
            throw new InvalidOperationException($"softhsm2-util --init-token failed ({code}): {stdout}{stderr}");
        }
    }
}

internal static class NativeEnvironment
{
#pragma warning disable SYSLIB1054, CA2101 // LibraryImport needs unsafe code in this project; ASCII paths only.
    [System.Runtime.InteropServices.DllImport("libc", CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
    internal static extern int setenv(string name, string value, int overwrite);
#pragma warning restore SYSLIB1054, CA2101
}

[CollectionDefinition(Name)]
public sealed class SoftHsmGroup : ICollectionFixture<SoftHsm>
{
    public const string Name = "SoftHSM2";
}
