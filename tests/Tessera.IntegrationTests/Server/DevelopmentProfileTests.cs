// The README's main job: `tessera serve` without a configuration starts the development profile
// under ./var, prints the demo secret once, and the README's curl + `tessera verify` flow works
// against it. Every file the profile writes has the mode README and docs promise (issue 14, M4),
// and a second start reuses them (same keys, certificate and auth.json) without printing a
// secret. The server listens on a free port through TESSERA_LISTEN / TESSERA_ISSUER (README), so
// nothing here needs 8443; see DevelopmentServer for how it is started (umask 000).
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Server;

public sealed partial class DevelopmentProfileTests(ITestOutputHelper output)
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Serve_WithoutConfig_RunsTheDevelopmentProfile_AndTheReadmeFlowWorks()
    {
        using var temp = new TempDir();
        await using DevelopmentServer server = await DevelopmentServer.StartAsync(temp.Path, TokenServer.FreePort());
        try
        {
            string secret = DemoSecret(server.Output);
            Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(server.Var, "auth.json")), StringComparison.Ordinal);

            string token = await TokenAsync(server, secret);
            Support.Cli.Outcome verified = Support.Cli.Run(["verify", token, "--jwks", server.Url + "/.well-known/jwks.json", "--cacert", server.CertPath,
                "--issuer", server.Url, "--audience", "demo-api", "--json"]);
            Assert.True(verified.ExitCode == 0, verified.Stdout + verified.Stderr);
            Assert.Contains("\"valid\":true", verified.Stdout, StringComparison.Ordinal);

            // Without --cacert the self-signed certificate is not trusted: a usage error, not a pass.
            Support.Cli.Outcome untrusted = Support.Cli.Run(["verify", token, "--jwks", server.Url + "/.well-known/jwks.json",
                "--issuer", server.Url, "--audience", "demo-api"]);
            Assert.Equal(2, untrusted.ExitCode);
        }
        finally
        {
            output.WriteLine(server.Output);
        }
    }

    [Fact]
    public async Task Serve_WithoutConfig_WritesEveryFileWithThePromisedMode_AndASecondStartReusesThem_PrintingNoSecret()
    {
        using var temp = new TempDir();
        string var = Path.Combine(temp.Path, "var");
        string secret;
        string kid;
        byte[] certificate;
        Dictionary<string, string> reused;
        await using (DevelopmentServer first = await DevelopmentServer.StartAsync(temp.Path, TokenServer.FreePort()))
        {
            output.WriteLine("first start:\n" + first.Output);
            secret = DemoSecret(first.Output);
            Assert.Equal(1, Regex.Count(first.Output, Regex.Escape(secret))); // shown once
            kid = Jwt.Kid(await TokenAsync(first, secret));
            AssertPromisedModes(var);
            certificate = first.PresentedCertificate!;
            reused = Reused(var);
        }

        Assert.Equal(File.ReadAllText(Path.Combine(var, "tls", "server.crt")), PemOf(certificate));

        await using (DevelopmentServer second = await DevelopmentServer.StartAsync(temp.Path, TokenServer.FreePort()))
        {
            string printed = second.Output;
            output.WriteLine("second start:\n" + printed);

            // Nothing made again, and no secret printed.
            Assert.DoesNotContain(secret, printed, StringComparison.Ordinal);
            Assert.DoesNotContain("demo client:", printed, StringComparison.Ordinal);
            Assert.DoesNotContain("shown once", printed, StringComparison.Ordinal);
            Assert.DoesNotContain("development profile created", printed, StringComparison.Ordinal);
            Assert.DoesNotContain("created key", printed, StringComparison.Ordinal);
            Dictionary<string, string> now = Reused(var);
            string[] rewritten = [.. reused.Keys.Union(now.Keys).Where(f => !reused.TryGetValue(f, out string? was) || !now.TryGetValue(f, out string? @is) || was != @is)];
            Assert.True(rewritten.Length == 0, "the second start did not reuse: " + string.Join(", ", rewritten));

            // The same certificate is served, the printed secret still works (the same auth.json),
            // and the same key signs.
            Assert.Equal(certificate, second.PresentedCertificate);
            Assert.Equal(kid, Jwt.Kid(await TokenAsync(second, secret)));
            AssertPromisedModes(var);
        }

        // The secret was printed, never written: no file of the profile holds it.
        byte[] needle = Encoding.UTF8.GetBytes(secret);
        foreach (string file in Directory.EnumerateFiles(var, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{file} holds the demo secret");
        }
    }

    // README quick start and docs: var/ 0700; var/auth.json 0600; var/tls/server.key 0600,
    // var/tls/server.crt 0644; the key directory 0700 with <kid>.key.pem 0600, <kid>.pub.pem and
    // <kid>.json 0644 (docs/operations.md); var/revocations.db 0600; var/security.log 0640
    // (docs/operations.md). Anything else the profile writes (tls/, .lock, the SQLite -wal and
    // -shm files) is for the service user alone.
    private static void AssertPromisedModes(string var)
    {
        var promised = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["."] = "700",
            ["auth.json"] = "600",
            ["tls/server.key"] = "600",
            ["tls/server.crt"] = "644",
            ["keys"] = "700",
            ["revocations.db"] = "600",
            ["security.log"] = "640",
        };
        string[] kids = [.. Directory.GetFiles(Path.Combine(var, "keys"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f))];
        Assert.Equal(2, kids.Length); // the active key and the next one
        foreach (string k in kids)
        {
            promised[$"keys/{k}.key.pem"] = "600";
            promised[$"keys/{k}.pub.pem"] = "644";
            promised[$"keys/{k}.json"] = "644";
        }

        var wrong = new List<string>();
        foreach ((string name, string mode) in promised)
        {
            string path = Path.Combine(var, name);
            if (!Path.Exists(path))
            {
                wrong.Add($"{name}: missing (promised {mode})");
            }
            else if (Octal(File.GetUnixFileMode(path)) != mode)
            {
                wrong.Add($"{name}: {Octal(File.GetUnixFileMode(path))}, promised {mode}");
            }
        }

        foreach (string path in Directory.EnumerateFileSystemEntries(var, "*", SearchOption.AllDirectories))
        {
            string name = Path.GetRelativePath(var, path);
            UnixFileMode mode = File.GetUnixFileMode(path);
            if (!promised.ContainsKey(name) && (mode & GroupOrOther) != 0)
            {
                wrong.Add($"{name}: {Octal(mode)}, open to group or others");
            }
        }

        Assert.True(wrong.Count == 0, "development profile file modes:\n" + string.Join("\n", wrong));
    }

    // What a second start must reuse byte for byte: auth.json, the certificate and its key, the keys.
    private static Dictionary<string, string> Reused(string var) =>
        new[] { "auth.json", "tls/server.crt", "tls/server.key" }
            .Concat(Directory.GetFiles(Path.Combine(var, "keys")).Select(f => "keys/" + Path.GetFileName(f)))
            .ToDictionary(name => name, name => File.ReadAllText(Path.Combine(var, name)), StringComparer.Ordinal);

    private static string DemoSecret(string printed)
    {
        string secret = SecretLine().Match(printed).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(secret), "the demo secret was not printed:\n" + printed);
        return secret;
    }

    // The README's curl: client_credentials with the demo client's secret over HTTP Basic.
    private static async Task<string> TokenAsync(DevelopmentServer server, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/token", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo:" + secret)));
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    private static string PemOf(byte[] der) => new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der)) + "\n";

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);

    [GeneratedRegex(@"demo client: id demo, secret (\S+)")]
    private static partial Regex SecretLine();
}
