// The proxy samples of samples/ as the tests run them: the file's text with only its documented
// placeholder addresses and paths replaced (samples/nginx/README.md, samples/haproxy/README.md).
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Edge;

public static class Samples
{
    public const string NginxListen = "127.0.0.1:8080";
    public const string NginxGate = "127.0.0.1:9090";
    public const string NginxUpstream = "127.0.0.1:3000";

    public const string HaproxyListen = "127.0.0.1:9090";
    public const string HaproxySocket = "/run/haproxy/tessera-gate.sock";
    public static readonly string[] HaproxyGates = ["127.0.0.1:9191", "127.0.0.1:9192", "127.0.0.1:9193"];

    public static string Path(params string[] parts) => System.IO.Path.Combine([Repository.Root, "samples", .. parts]);

    /// <summary>
    /// The text of <paramref name="file"/> with each placeholder replaced; a placeholder missing
    /// from the sample fails the test (the sample and its README disagree).
    /// </summary>
    public static string Template(string file, params (string Placeholder, string Value)[] replacements)
    {
        string text = File.ReadAllText(file);
        foreach ((string placeholder, string value) in replacements)
        {
            Assert.True(text.Contains(placeholder, StringComparison.Ordinal), $"{file} no longer has the placeholder '{placeholder}' its README documents");
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return text;
    }
}
