// A long-running child process of the edge tests (tessera gate, nginx, haproxy): started with the
// test host's TESSERA_* variables removed, output captured for failure messages, and stopped by
// its own id (with its children: nginx's worker) at dispose, also when the test failed. Kill()
// is SIGKILL, for the failover test.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tessera.IntegrationTests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class LiveProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private LiveProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="file"/>; a missing program fails the test with the way to install it.</summary>
    public static LiveProcess Start(string name, string file, IEnumerable<string> args, string workingDirectory)
    {
        if (file.StartsWith('/') && !File.Exists(file))
        {
            Assert.Fail($"{file} is missing: run 'bash scripts/test.sh', which installs nginx-light and haproxy (or apt-get install nginx-light haproxy).");
        }

        ProcessStartInfo start = ChildProcess.Info(file, args, workingDirectory);
        foreach (string variable in start.Environment.Keys.Where(k => k.StartsWith("TESSERA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        var process = new Process { StartInfo = start };
        var live = new LiveProcess(process, name);
        process.OutputDataReceived += (_, e) => live.Append(e.Data);
        process.ErrorDataReceived += (_, e) => live.Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            Assert.Fail($"Cannot start '{file}' ({ex.Message}). Run 'bash scripts/test.sh': it installs what the tests need.");
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return live;
    }

    /// <summary>The tessera executable beside the tests: <c>dotnet tessera.dll ARGS</c>.</summary>
    public static LiveProcess Tessera(string name, IEnumerable<string> args, string workingDirectory) =>
        Start(name, "dotnet", [Support.Cli.Dll, .. args], workingDirectory);

    /// <summary>Fails the test (with what the process printed) when it has exited.</summary>
    public void AssertRunning(string moment)
    {
        if (_process.HasExited)
        {
            Assert.Fail($"{Name} exited {_process.ExitCode} {moment}:\n{Output}");
        }
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (deadline ?? TimeSpan.FromSeconds(60)))
        {
            AssertRunning($"before it listened on port {port}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail($"{Name} did not listen on port {port} in time:\n{Output}");
    }

    /// <summary>SIGKILL, no graceful shutdown; waits until it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
