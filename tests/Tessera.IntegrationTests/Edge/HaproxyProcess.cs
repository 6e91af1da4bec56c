// The real Debian haproxy (/usr/sbin/haproxy) running samples/haproxy/haproxy.cfg in the
// foreground (-db), with only its placeholder addresses and admin socket path replaced. The admin
// socket's "show stat" says what haproxy's health checks think of each gate.
using System.Net.Sockets;
using System.Text;
using Tessera.IntegrationTests.Server;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class HaproxyProcess : IDisposable
{
    public const string Binary = "/usr/sbin/haproxy";
    public const string Backend = "tessera_gates";

    private readonly LiveProcess _process;
    private readonly string _socket;

    private HaproxyProcess(LiveProcess process, int port, string socket)
    {
        _process = process;
        Port = port;
        _socket = socket;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public string Output => _process.Output;

    /// <summary>Starts haproxy in front of the gates listening on <paramref name="gatePorts"/> (gate1, gate2, gate3 in that order).</summary>
    public static async Task<HaproxyProcess> StartAsync(TempDir dir, IReadOnlyList<int> gatePorts)
    {
        Assert.Equal(Samples.HaproxyGates.Length, gatePorts.Count);
        int port = TokenServer.FreePort();
        string socket = dir["haproxy.sock"];
        var replacements = new List<(string, string)>
        {
            (Samples.HaproxyListen, $"127.0.0.1:{port}"),
            (Samples.HaproxySocket, socket),
        };
        replacements.AddRange(Samples.HaproxyGates.Select((placeholder, i) => (placeholder, $"127.0.0.1:{gatePorts[i]}")));
        string config = dir["haproxy.cfg"];
        File.WriteAllText(config, Samples.Template(Samples.Path("haproxy", "haproxy.cfg"), [.. replacements]));

        LiveProcess process = LiveProcess.Start("haproxy", Binary, ["-db", "-f", config], dir.Path);
        var haproxy = new HaproxyProcess(process, port, socket);
        try
        {
            await process.WaitForPortAsync(port);
        }
        catch
        {
            haproxy.Dispose();
            throw;
        }

        return haproxy;
    }

    /// <summary>Each server of the gates' backend and its status as haproxy's checks see it ("UP", "DOWN", "UP 1/2", ...).</summary>
    public async Task<Dictionary<string, string>> ServerStatusAsync()
    {
        _process.AssertRunning("while the test asked for its stats");
        string csv = await CommandAsync("show stat");
        string[] lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 0 && lines[0].StartsWith("# ", StringComparison.Ordinal), "haproxy 'show stat' answered: " + csv);
        string[] columns = lines[0][2..].Split(',');
        int proxy = Array.IndexOf(columns, "pxname");
        int server = Array.IndexOf(columns, "svname");
        int status = Array.IndexOf(columns, "status");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string[] row in lines.Skip(1).Select(l => l.Split(',')))
        {
            if (row.Length > status && row[proxy] == Backend && row[server] is not ("BACKEND" or "FRONTEND"))
            {
                result[row[server]] = row[status];
            }
        }

        return result;
    }

    public void Dispose() => _process.Dispose();

    private async Task<string> CommandAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socket));
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"));
        var answer = new StringBuilder();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return answer.ToString();
    }
}
