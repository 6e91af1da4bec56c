// The README's main job: `tessera serve` without a configuration starts the development
// profile under ./var on https://127.0.0.1:8443, prints the demo secret once, and the README's
// curl + `tessera verify` flow works against it.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Server;

public sealed partial class DevelopmentProfileTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Serve_WithoutConfig_RunsTheDevelopmentProfile_AndTheReadmeFlowWorks()
    {
        using var temp = new TempDir();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = temp.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Support.Cli.Dll);
        start.ArgumentList.Add("serve");
        foreach (string name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("TESSERA_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(name);
        }

        var stdout = new StringBuilder();
        using Process server = Process.Start(start)!;
        server.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            string cert = Path.Combine(temp.Path, "var", "tls", "server.crt");
            using HttpClient http = await WaitForServer(cert, stdout);
            string text;
            lock (stdout)
            {
                text = stdout.ToString();
            }

            string secret = SecretLine().Match(text).Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(secret), "the demo secret was not printed:\n" + text);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(temp.Path, "var")));
            Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(temp.Path, "var", "auth.json")), StringComparison.Ordinal);

            using var request = new HttpRequestMessage(HttpMethod.Post, "https://127.0.0.1:8443/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo:" + secret)));
            using HttpResponseMessage response = await http.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            string token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;

            Support.Cli.Outcome verified = Support.Cli.Run(["verify", token, "--jwks", "https://127.0.0.1:8443/.well-known/jwks.json", "--cacert", cert,
                "--issuer", "https://127.0.0.1:8443", "--audience", "demo-api", "--json"]);
            Assert.Equal(0, verified.ExitCode);
            Assert.Contains("\"valid\":true", verified.Stdout, StringComparison.Ordinal);

            // Without --cacert the self-signed certificate is not trusted: a usage error, not a pass.
            Support.Cli.Outcome untrusted = Support.Cli.Run(["verify", token, "--jwks", "https://127.0.0.1:8443/.well-known/jwks.json",
                "--issuer", "https://127.0.0.1:8443", "--audience", "demo-api"]);
            Assert.Equal(2, untrusted.ExitCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            lock (stdout)
            {
                output.WriteLine(stdout.ToString());
            }
        }
    }

    private static async Task<HttpClient> WaitForServer(string certPath, StringBuilder stdout)
    {
        for (int i = 0; i < 300; i++)
        {
            if (File.Exists(certPath))
            {
                var root = X509CertificateLoader.LoadCertificateFromFile(certPath);
                var handler = new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
                    {
                        if (cert is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                        {
                            return false;
                        }

                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(root);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return chain.Build(cert);
                    },
                };
                var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
                try
                {
                    if ((await http.GetAsync("https://127.0.0.1:8443/healthz")).IsSuccessStatusCode)
                    {
                        return http;
                    }
                }
                catch (HttpRequestException)
                {
                }

                http.Dispose();
            }

            await Task.Delay(200);
        }

        lock (stdout)
        {
            throw new TimeoutException("the development profile did not answer /healthz on 8443 in 60 s:\n" + stdout);
        }
    }

    [GeneratedRegex(@"demo client: id demo, secret (\S+)")]
    private static partial Regex SecretLine();
}
