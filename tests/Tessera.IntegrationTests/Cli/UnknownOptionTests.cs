using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.IntegrationTests.Support;
using Tessera.Server;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Cli;

/// <summary>
/// Issue 14, M1: an unknown option is a usage error on every command (exit 2, the option named on
/// stderr) and nothing is done. A parser that skipped unknown options once kept the suite green,
/// because the one test of it ran a command that also lacked required flags. So here every
/// invocation is otherwise complete: each test runs it with the unknown option first, sees exit 2
/// and every file under the test's directory unchanged, then runs the same invocation without
/// the option and sees it succeed and do what it does. Exit 2 can then come only from the option,
/// and the side-effect check is shown to be able to see the effect.
/// </summary>
public sealed class UnknownOptionTests : IDisposable
{
    private const string Unknown = "--frobnicate";
    private const string Iss = "https://auth.cli";
    private const string Now = "1800000000";
    private const string Later = "1800000010";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Keygen_UnknownOption_IsAUsageError_AndMakesNoKey()
    {
        string keys = _dir["keys"];
        string[] valid = ["keygen", "--out", keys, "--now", Now];

        AssertRefusedWithoutSideEffect(valid);
        Assert.False(Directory.Exists(keys), "keygen with an unknown option created " + keys);

        Support.Cli.Outcome made = AssertSucceeds(valid);
        Assert.Contains("EdDSA active", made.Stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(keys, "*.key.pem"));
    }

    /// <summary>Other shapes of an unknown option: with a value, a known flag in the wrong case or misspelt, another command's switch.</summary>
    [Theory]
    [InlineData("--frobnicate=1")]
    [InlineData("--OUT")]
    [InlineData("--outdir")]
    [InlineData("--json")]
    public void Keygen_AnyUnknownOption_IsAUsageError_AndMakesNoKey(string option)
    {
        string keys = _dir["keys"];
        string[] valid = ["keygen", "--out", keys, "--now", Now];

        string[] before = Snapshot();
        Support.Cli.Outcome refused = Support.Cli.Run([.. valid, option]);
        CliKeys.AssertUsageError(refused, option.Split('=')[0]);
        Assert.Equal(before, Snapshot());

        AssertSucceeds(valid);
        Assert.Single(Directory.GetFiles(keys, "*.key.pem"));
    }

    [Fact]
    public void Jwks_UnknownOption_IsAUsageError_AndPrintsNoKeySet()
    {
        string keys = MakeKeys();
        string[] valid = ["jwks", "--keys", keys, "--now", Now];

        AssertRefusedWithoutSideEffect(valid);

        using JsonDocument jwks = JsonDocument.Parse(AssertSucceeds(valid).Stdout);
        Assert.Equal(1, jwks.RootElement.GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public void Issue_UnknownOption_IsAUsageError_AndPrintsNoToken()
    {
        string[] valid = IssueArgs(MakeKeys());

        AssertRefusedWithoutSideEffect(valid);

        Assert.Equal(3, AssertSucceeds(valid).Stdout.Trim().Split('.').Length);
    }

    [Fact]
    public void Verify_UnknownOption_IsAUsageError_AndGivesNoVerdict()
    {
        string keys = MakeKeys();
        string token = AssertSucceeds(IssueArgs(keys)).Stdout.Trim();
        string jwks = _dir["jwks.json"];
        File.WriteAllText(jwks, AssertSucceeds(["jwks", "--keys", keys, "--now", Now]).Stdout);
        string[] valid = ["verify", token, "--jwks", jwks, "--issuer", Iss, "--audience", "telemetry", "--now", Later];

        AssertRefusedWithoutSideEffect(valid);

        Assert.Equal("valid", AssertSucceeds(valid).Stdout.Trim());
    }

    [Fact]
    public void Verify_FromStdin_UnknownOption_IsAUsageError_AndGivesNoVerdict()
    {
        string keys = MakeKeys();
        string token = AssertSucceeds(IssueArgs(keys)).Stdout.Trim();
        string pub = Directory.GetFiles(keys, "*.pub.pem").Single();
        string[] valid = ["verify", "-", "--key", pub, "--issuer", Iss, "--audience", "telemetry", "--now", Later, "--json"];

        AssertRefusedWithoutSideEffect(valid, token + "\n");

        Assert.StartsWith("{\"valid\":true", AssertSucceeds(valid, token + "\n").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_UnknownOption_IsAUsageError_AndDecodesNothing()
    {
        string token = AssertSucceeds(IssueArgs(MakeKeys())).Stdout.Trim();
        string[] valid = ["inspect", token, "--now", Later];

        AssertRefusedWithoutSideEffect(valid);

        Assert.Contains("\"sub\": \"meter-17\"", AssertSucceeds(valid).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotate_UnknownOption_IsAUsageError_AndMakesNoKey()
    {
        string keys = _dir["keys"];
        string[] valid = ["rotate", "--keys", keys, "--now", Now];

        AssertRefusedWithoutSideEffect(valid);
        Assert.False(Directory.Exists(keys), "rotate with an unknown option created " + keys);

        AssertSucceeds(valid);
        Assert.NotEmpty(Directory.GetFiles(keys, "*.key.pem"));
    }

    [Fact]
    public void Rotate_Retire_UnknownOption_IsAUsageError_AndRetiresNothing()
    {
        string keys = MakeKeys();
        string kid = Path.GetFileName(Directory.GetFiles(keys, "*.key.pem").Single()).Split('.')[0];
        string[] valid = ["rotate", "--keys", keys, "--retire", kid, "--now", Later];

        AssertRefusedWithoutSideEffect(valid);

        Support.Cli.Outcome retired = AssertSucceeds(valid);
        Assert.Contains("EMERGENCY", retired.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysImport_UnknownOption_IsAUsageError_AndImportsNoKey()
    {
        string pem = _dir["private.pem"];
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(pem, ecdsa.ExportPkcs8PrivateKeyPem());
        }

        File.SetUnixFileMode(pem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string keys = _dir["keys"];
        string[] valid = ["keys", "import", "--keys", keys, "--private", pem, "--now", Now];

        AssertRefusedWithoutSideEffect(valid);
        Assert.False(Directory.Exists(keys), "keys import with an unknown option created " + keys);

        Assert.Contains("ES256 active", AssertSucceeds(valid).Stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(keys, "*.key.pem"));
    }

    /// <summary>doctor succeeds when it runs its checks: exit 0, or 1 when one fails on this machine (e.g. no clock sync).</summary>
    [Fact]
    public void Doctor_UnknownOption_IsAUsageError_AndChecksNothing()
    {
        string config = Profile();
        string[] valid = ["doctor", "--config", config, "--json"];

        AssertRefusedWithoutSideEffect(valid);

        Support.Cli.Outcome ran = Support.Cli.Run(valid);
        Assert.True(ran.ExitCode is 0 or 1, $"doctor without the unknown option: exit {ran.ExitCode}, stderr: {ran.Stderr}");
        using JsonDocument report = JsonDocument.Parse(ran.Stdout);
        Assert.NotEqual(0, report.RootElement.GetProperty("checks").GetArrayLength());
    }

    /// <summary>
    /// A valid configuration (keys made, a free port) that serves without the option: with it,
    /// exit 2 within the deadline, nothing written (no revocation store, no security log), no port.
    /// </summary>
    [Fact]
    public async Task Serve_UnknownOption_WithAValidConfig_IsAUsageError_AndDoesNotStart()
    {
        string config = Profile();
        AssertSucceeds(["rotate", "--keys", Path.Combine(Path.GetDirectoryName(config)!, "keys")]);
        int port = FreePort();
        JsonNode root = JsonNode.Parse(File.ReadAllText(config))!;
        root["listen"] = $"https://127.0.0.1:{port}";
        File.WriteAllText(config, root.ToJsonString());
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string[] valid = ["serve", "--config", config];

        string[] before = Snapshot();
        Support.Cli.Outcome refused = RunServe([.. valid, Unknown], _dir.Path, deadlineSeconds: 30);
        CliKeys.AssertUsageError(refused, Unknown);
        Assert.Equal(before, Snapshot());
        Assert.False(Listening(port), $"something listens on {port} after serve was refused");

        await AssertServes(valid, port);
    }

    /// <summary>
    /// Without --config, serve prepares and runs the development profile under ./var (see
    /// ConfigHardeningTests); with an unknown option it must do neither. Not run without the
    /// option here: the profile listens on the fixed port 8443.
    /// </summary>
    [Fact]
    public void Serve_UnknownOption_WithoutConfig_IsAUsageError_AndPreparesNoDevelopmentProfile()
    {
        string work = _dir["work"];
        Directory.CreateDirectory(work);

        string[] before = Snapshot();
        Support.Cli.Outcome refused = RunServe(["serve", Unknown], work, deadlineSeconds: 30);
        CliKeys.AssertUsageError(refused, Unknown);
        Assert.Equal(before, Snapshot());
        Assert.False(Directory.Exists(Path.Combine(work, "var")), "serve with an unknown option prepared ./var");
    }

    [Fact]
    public void ClientAdd_UnknownOption_IsAUsageError_AndLeavesAuthJsonAlone()
    {
        string config = Profile();
        string original = File.ReadAllText(config);
        string[] valid = ["client", "add", "gateway", "--config", config, "--scope", "demo:read", "--audience", "demo-api"];

        AssertRefusedWithoutSideEffect(valid);
        Assert.Equal(original, File.ReadAllText(config));

        Assert.Contains("client gateway registered; secret", AssertSucceeds(valid).Stdout, StringComparison.Ordinal);
        Assert.Contains("\"gateway\"", File.ReadAllText(config), StringComparison.Ordinal);
    }

    [Fact]
    public void Revoke_Jti_UnknownOption_IsAUsageError_AndWritesNothing()
    {
        string config = Profile();
        string store = Path.Combine(Path.GetDirectoryName(config)!, "revocations.db");
        string[] valid = ["revoke", "--jti", "abc", "--exp", "1899999970", "--config", config];

        AssertRefusedWithoutSideEffect(valid);
        Assert.False(File.Exists(store), "revoke with an unknown option created " + store);

        Assert.Equal("revoked jti abc until 2030-03-17T17:46:40Z", AssertSucceeds(valid).Stdout.Trim());
        Assert.True(File.Exists(store), "revoke wrote no store at " + store);
    }

    [Fact]
    public void Revoke_Token_UnknownOption_IsAUsageError_AndWritesNothing()
    {
        string config = Profile();
        string profile = Path.GetDirectoryName(config)!;
        string keys = Path.Combine(profile, "keys");
        AssertSucceeds(["keygen", "--out", keys, "--now", Now]);
        string token = AssertSucceeds(["issue", "--keys", keys, "--issuer", DevelopmentProfile.Url, "--audience", DevelopmentProfile.DemoAudience, "--subject", "meter-17", "--now", Now]).Stdout.Trim();
        string store = Path.Combine(profile, "revocations.db");
        string[] valid = ["revoke", token, "--config", config, "--now", Later];

        AssertRefusedWithoutSideEffect(valid);
        Assert.False(File.Exists(store), "revoke with an unknown option created " + store);

        Assert.StartsWith("revoked jti ", AssertSucceeds(valid).Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(store), "revoke wrote no store at " + store);
    }

    /// <summary>Runs <paramref name="valid"/> with <see cref="Unknown"/> appended: exit 2, the option named, no file changed under the test directory.</summary>
    private void AssertRefusedWithoutSideEffect(string[] valid, string? stdin = null)
    {
        string[] before = Snapshot();
        Support.Cli.Outcome refused = CliKeys.RunWithin(60, [.. valid, Unknown], stdin);
        CliKeys.AssertUsageError(refused, Unknown);
        Assert.Equal(before, Snapshot());
    }

    private static Support.Cli.Outcome AssertSucceeds(string[] args, string? stdin = null)
    {
        Support.Cli.Outcome result = Support.Cli.Run(args, stdin);
        Assert.True(result.ExitCode == 0, $"tessera {string.Join(' ', args)}: exit {result.ExitCode}, stderr: {result.Stderr}");
        return result;
    }

    private string MakeKeys()
    {
        string keys = _dir["keys"];
        AssertSucceeds(["keygen", "--out", keys, "--now", Now]);
        return keys;
    }

    private static string[] IssueArgs(string keys) =>
        ["issue", "--keys", keys, "--issuer", Iss, "--audience", "telemetry", "--subject", "meter-17", "--now", Now];

    private string Profile() => DevelopmentProfile.Prepare(_dir["profile"], TextWriter.Null);

    /// <summary>Every directory and file under the test directory, files with a hash of their content.</summary>
    private string[] Snapshot() =>
        [.. Directory.EnumerateFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories)
            .Select(path => Directory.Exists(path)
                ? Path.GetRelativePath(_dir.Path, path) + "/"
                : Path.GetRelativePath(_dir.Path, path) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))))
            .Order(StringComparer.Ordinal)];

    /// <summary>serve with a deadline; only the configuration file configures it (TESSERA_* of the test host stay out).</summary>
    private static Support.Cli.Outcome RunServe(string[] args, string workingDirectory, int deadlineSeconds)
    {
        ProcessStartInfo start = ServeStart(args, workingDirectory);
        (int exit, string stdout, string stderr) = ChildProcess.Run(start, null, deadlineSeconds);
        return new Support.Cli.Outcome(exit, stdout, stderr);
    }

    private static ProcessStartInfo ServeStart(string[] args, string workingDirectory)
    {
        ProcessStartInfo start = ChildProcess.Info("dotnet", [Support.Cli.Dll, .. args], workingDirectory);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("TESSERA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    /// <summary>Starts serve, waits until it accepts connections on <paramref name="port"/>, and kills it.</summary>
    private async Task AssertServes(string[] args, int port)
    {
        using Process process = Process.Start(ServeStart(args, _dir.Path))!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        bool listening = false;
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(90) && !(listening = Listening(port)))
            {
                await Task.Delay(100);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        string output = await stdout;
        Assert.True(listening && output.Contains("tessera: serving", StringComparison.Ordinal),
            $"serve without the unknown option did not start listening on {port} (exit {process.ExitCode}):\n{output}{await stderr}");
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
