using System.Diagnostics;

namespace Tessera.IntegrationTests.Support;

/// <summary>
/// The one way tests run real programs (tessera, openssl, node, unshare): output captured, stdin
/// written then closed, a deadline, and a test failure that says how to install a missing program.
/// </summary>
public static class ChildProcess
{
    /// <summary>A start record for <paramref name="file"/> with <paramref name="args"/>, streams redirected.</summary>
    public static ProcessStartInfo Info(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Runs to completion; never throws on a non-zero exit.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(ProcessStartInfo start, string? stdin = null, int timeoutSeconds = 120)
    {
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + start.FileName);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"Cannot start '{start.FileName}' ({ex.Message}). Run 'bash scripts/test.sh': it installs what the tests need (openssl, Node.js, the npm packages).");
            throw;
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {timeoutSeconds} s");
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
