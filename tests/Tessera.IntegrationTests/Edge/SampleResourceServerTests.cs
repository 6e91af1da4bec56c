// samples/resource-server runs as its README says: the built sample, configured only through
// environment variables (Authority, Audience, the issuer's CA), in front of a real tessera serve.
using System.Diagnostics;
using System.Net;
using Tessera.IntegrationTests.Server;
using Tessera.IntegrationTests.Support;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public sealed class SampleResourceServerTests(SampleIssuer issuer) : IClassFixture<SampleIssuer>
{
    [Fact]
    public async Task Sample_AcceptsTheDevicesToken_RefusesNoToken_AndForbidsAMissingScope()
    {
        string bin = Path.Combine(Repository.Root, "samples", "resource-server", "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(bin, "ResourceServer.dll")), "build the solution first (scripts/test.sh does): " + bin);
        int port = TokenServer.FreePort();
        ProcessStartInfo start = ChildProcess.Info("dotnet", [Path.Combine(bin, "ResourceServer.dll")], bin);
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning"; // stdout is a pipe nobody reads until the end
        start.Environment["Authentication__Schemes__TesseraBearer__Authority"] = issuer.Issuer;
        start.Environment["Authentication__Schemes__TesseraBearer__Audience"] = "demo-api";
        start.Environment["Authentication__Schemes__TesseraBearer__BackchannelCaFile"] = issuer.CertPath;
        using Process sample = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitForAsync(http, sample);
            string token = await issuer.TokenAsync("meter-12");

            using var read = new HttpRequestMessage(HttpMethod.Get, "/readings");
            read.Headers.Authorization = new("Bearer", token);
            using HttpResponseMessage readings = await http.SendAsync(read);
            Assert.Equal(HttpStatusCode.OK, readings.StatusCode);
            Assert.Contains("\"device\":\"meter-12\"", await readings.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using HttpResponseMessage anonymous = await http.GetAsync(new Uri("/readings", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

            using var write = new HttpRequestMessage(HttpMethod.Post, "/setpoint");
            write.Headers.Authorization = new("Bearer", token);
            using HttpResponseMessage setpoint = await http.SendAsync(write);
            Assert.Equal(HttpStatusCode.Forbidden, setpoint.StatusCode);
            Assert.Contains("insufficient_scope", string.Join(",", setpoint.Headers.GetValues("WWW-Authenticate")), StringComparison.Ordinal);
        }
        finally
        {
            sample.Kill(entireProcessTree: true);
            sample.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task WaitForAsync(HttpClient http, Process sample)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (sample.HasExited)
            {
                Assert.Fail($"the sample exited {sample.ExitCode}: {sample.StandardError.ReadToEnd()}");
            }

            try
            {
                using HttpResponseMessage health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        Assert.Fail("the sample did not answer /healthz in 60 s");
    }
}
