namespace Tessera.IntegrationTests.Cli;

/// <summary>
/// <c>--jwks FILE</c>, <c>--key FILE</c> and <c>--cacert FILE</c> read at most 1 MiB whatever the
/// file is (issue 8, finding 8): the length of a FIFO or a device is 0, so a limit checked against
/// the length let <c>/dev/zero</c> be read without bound. Over the limit is exit 2, quickly.
/// </summary>
public sealed class VerifyKeyFileTests : IClassFixture<CliKeys>
{
    private readonly CliKeys _keys;

    public VerifyKeyFileTests(CliKeys keys) => _keys = keys;

    [Theory]
    [InlineData("--jwks")]
    [InlineData("--key")]
    public void DevZero_IsOver1MiB_Exit2(string flag)
    {
        Support.Cli.Outcome result = CliKeys.RunWithin(20, CliKeys.VerifyArgs(_keys.Token, flag, "/dev/zero"));
        CliKeys.AssertUsageError(result, flag, "/dev/zero", "over 1 MiB");
    }

    [Fact]
    public void DevZero_AsCaCert_IsOver1MiB_Exit2()
    {
        Support.Cli.Outcome result = CliKeys.RunWithin(20, CliKeys.VerifyArgs(_keys.Token, "--jwks", "https://127.0.0.1:1/jwks.json", "--cacert", "/dev/zero"));
        CliKeys.AssertUsageError(result, "--cacert", "/dev/zero", "over 1 MiB");
    }

    [Theory]
    [InlineData("--jwks")]
    [InlineData("--key")]
    public void RegularFile_Over1MiB_Exit2(string flag)
    {
        string big = _keys.Temp["big-" + flag.TrimStart('-')];
        File.WriteAllText(big, new string(' ', (1 << 20) + 1));
        CliKeys.AssertUsageError(Support.Cli.Run(CliKeys.VerifyArgs(_keys.Token, flag, big)), flag, big, "over 1 MiB");
    }

    [Theory]
    [InlineData("--jwks")]
    [InlineData("--key")]
    public void MissingFile_Exit2_NamingFlagAndFile(string flag)
    {
        string missing = _keys.Temp["missing.json"];
        CliKeys.AssertUsageError(Support.Cli.Run(CliKeys.VerifyArgs(_keys.Token, flag, missing)), flag, missing);
    }

    [Theory]
    [InlineData("--jwks", "not valid JSON")]
    [InlineData("--key", "")]
    public void NotAKey_Exit2_NamingFlagAndFile(string flag, string reason)
    {
        string file = _keys.Temp["garbage-" + flag.TrimStart('-')];
        File.WriteAllText(file, "garbage");
        CliKeys.AssertUsageError(Support.Cli.Run(CliKeys.VerifyArgs(_keys.Token, flag, file)), flag, file, reason);
    }

    [Fact]
    public async Task Fifo_WithAKeySet_Verifies()
    {
        // As with --jwks <(curl ...): a pipe has no length, and a small one must still be read.
        string fifo = MakeFifo("small.fifo");
        Task writer = Task.Run(() => File.WriteAllText(fifo, _keys.Jwks));
        Support.Cli.Outcome result = CliKeys.RunWithin(20, CliKeys.VerifyArgs(_keys.Token, "--jwks", fifo));
        await Finish(writer, fifo);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("valid", result.Stdout.Trim());
    }

    [Fact]
    public async Task Fifo_Endless_IsOver1MiB_Exit2()
    {
        string fifo = MakeFifo("endless.fifo");
        Task writer = Task.Run(() =>
        {
            byte[] chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)' ');
            try
            {
                // FileShare.ReadWrite: .NET takes an exclusive flock for FileShare.None, which
                // would refuse the reader.
                using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                for (int i = 0; i < 1024; i++)
                {
                    pipe.Write(chunk);
                }
            }
            catch (IOException)
            {
                // The reader closed the pipe after its limit: the point of the test.
            }
        });
        Support.Cli.Outcome result = CliKeys.RunWithin(20, CliKeys.VerifyArgs(_keys.Token, "--jwks", fifo));
        await Finish(writer, fifo);
        CliKeys.AssertUsageError(result, "--jwks", fifo, "over 1 MiB");
    }

    // A writer still blocked in open() means tessera never opened the pipe: open it here so that
    // the writer's thread ends, then fail.
    private static async Task Finish(Task writer, string fifo)
    {
        if (await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(5))) != writer)
        {
            using (File.OpenRead(fifo))
            {
            }

            Assert.Fail("the pipe's writer did not finish: tessera did not read the pipe");
        }

        await writer;
    }

    private string MakeFifo(string name)
    {
        string path = _keys.Temp[name];
        (int exit, _, string stderr) = Support.ChildProcess.Run(Support.ChildProcess.Info("mkfifo", ["-m", "600", path]), timeoutSeconds: 10);
        Assert.True(exit == 0, "mkfifo: " + stderr);
        return path;
    }
}
