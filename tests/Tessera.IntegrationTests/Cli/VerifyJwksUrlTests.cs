namespace Tessera.IntegrationTests.Cli;

/// <summary>
/// <c>tessera verify --jwks URL</c> (docs/SPEC.md §3): https only, a redirect followed only to the
/// same origin and a bounded number of times, and every fetch failure an exit 2 with one line on
/// stderr (issue 8, findings 6 and 7). A man in the middle of a plain-http fetch, or the owner of
/// a redirect target elsewhere, could otherwise hand verify the keys of their choice.
/// </summary>
public sealed class VerifyJwksUrlTests : IClassFixture<CliKeys>, IAsyncLifetime
{
    private readonly CliKeys _keys;
    private JwksHost _host = null!;

    public VerifyJwksUrlTests(CliKeys keys) => _keys = keys;

    private string CaCert => _keys.Temp["ca.pem"];

    public async Task InitializeAsync()
    {
        _host = await JwksHost.StartAsync(_keys.Jwks);
        await File.WriteAllTextAsync(CaCert, _host.CaCertPem);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void HttpsUrl_WithCaCert_Verifies()
    {
        Support.Cli.Outcome result = Verify(_host.Origin + "/jwks.json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("valid", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("/redirect?to=/jwks.json")]
    [InlineData("/redirect?to=jwks.json")]
    [InlineData("/hops/3")]
    public void SameOriginRedirect_IsFollowed(string path)
    {
        Support.Cli.Outcome result = Verify(_host.Origin + path);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("valid", result.Stdout.Trim());
    }

    [Fact]
    public void SameOriginRedirect_Absolute_IsFollowed()
    {
        Support.Cli.Outcome result = Verify(_host.Origin + "/redirect?to=" + Uri.EscapeDataString(_host.Origin + "/jwks.json"));
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void PlainHttpUrl_IsRefused_WithoutConnecting()
    {
        string url = _host.PlainOrigin + "/jwks.json";
        Support.Cli.Outcome result = Verify(url);
        CliKeys.AssertUsageError(result, "--jwks", url, "https");
        Assert.Equal(0, _host.PlainConnections);
    }

    [Theory]
    [InlineData("HTTP://127.0.0.1:1/jwks.json", "http://127.0.0.1:1/jwks.json")]
    [InlineData("ftp://127.0.0.1/jwks.json", "ftp://127.0.0.1/jwks.json")]
    [InlineData("file:///etc/passwd", "file:///etc/passwd")]
    [InlineData("ldap://127.0.0.1/jwks", "ldap://127.0.0.1/jwks")]
    public void OtherSchemes_AreRefused(string url, string printed)
    {
        CliKeys.AssertUsageError(Verify(url), "--jwks", printed, "only https");
    }

    [Theory]
    [InlineData("https://[::1")]
    [InlineData("https://")]
    [InlineData("https://127.0.0.1:99999/x")]
    public void UnparsableUrl_IsAUsageError_NotACrash(string url)
    {
        CliKeys.AssertUsageError(Verify(url), "--jwks", url, "not a valid URL");
    }

    [Fact]
    public void UrlCredentials_AreNotPrinted()
    {
        string url = _host.Origin.Replace("https://", "https://reader:s3cret@", StringComparison.Ordinal) + "/status/404";
        Support.Cli.Outcome result = Verify(url);
        CliKeys.AssertUsageError(result, "--jwks", _host.Origin + "/status/404", "404");
        Assert.DoesNotContain("s3cret", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectToAnotherOrigin_IsRefused()
    {
        // The other origin serves the very same key set: only the policy can refuse it.
        string target = _host.OtherOrigin + "/jwks.json";
        Support.Cli.Outcome result = Verify(_host.Origin + "/redirect?to=" + Uri.EscapeDataString(target));
        CliKeys.AssertUsageError(result, "--jwks", "redirect", target);
    }

    [Fact]
    public void RedirectToPlainHttp_IsRefused_WithoutConnecting()
    {
        string target = _host.PlainOrigin + "/jwks.json";
        Support.Cli.Outcome result = Verify(_host.Origin + "/redirect?to=" + Uri.EscapeDataString(target));
        CliKeys.AssertUsageError(result, "--jwks", "redirect");
        Assert.Equal(0, _host.PlainConnections);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("file:///dev/zero")]
    [InlineData("ftp://127.0.0.1/jwks.json")]
    [InlineData("//127.0.0.2/jwks.json")]
    [InlineData("https://[::1")]
    [InlineData("///etc/passwd")]
    [InlineData("https://127.0.0.1:99999/jwks.json")]
    [InlineData("https:///jwks.json")]
    public void RedirectElsewhere_OrUnusable_IsAUsageError_NotACrash(string location)
    {
        Support.Cli.Outcome result = Verify(_host.Origin + "/redirect?to=" + Uri.EscapeDataString(location));
        CliKeys.AssertUsageError(result, "--jwks", "redirect");
        Assert.DoesNotContain("root:", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/hops/4")]
    [InlineData("/loop")]
    public void TooManyRedirects_IsAUsageError(string path)
    {
        CliKeys.AssertUsageError(Verify(_host.Origin + path), "--jwks", "redirects");
    }

    [Theory]
    [InlineData("/status/404", "404")]
    [InlineData("/status/500", "500")]
    [InlineData("/status/204", "204")]
    [InlineData("/garbage", "JSON")]
    [InlineData("/big", "1 MiB")]
    [InlineData("/endless", "1 MiB")]
    public void FetchFailures_AreUsageErrors_NamingTheUrl(string path, string reason)
    {
        string url = _host.Origin + path;
        CliKeys.AssertUsageError(CliKeys.RunWithin(30, CliKeys.VerifyArgs(_keys.Token, "--jwks", url, "--cacert", CaCert)), "--jwks", url, reason);
    }

    [Fact]
    public void UntrustedCertificate_IsAUsageError()
    {
        string url = _host.Origin + "/jwks.json";
        CliKeys.AssertUsageError(Support.Cli.Run(CliKeys.VerifyArgs(_keys.Token, "--jwks", url)), "--jwks", url);
    }

    [Fact]
    public void NameMismatch_IsRefused_EvenWithCaCert()
    {
        // The certificate names 127.0.0.1 only: --cacert replaces the roots, not the name check.
        string url = _host.Origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/jwks.json";
        CliKeys.AssertUsageError(Verify(url), "--jwks", url, "TLS");
    }

    [Fact]
    public void UnreadableCaCert_IsAUsageError()
    {
        string bogus = _keys.Temp["not-a-cert.pem"];
        File.WriteAllText(bogus, "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
        CliKeys.AssertUsageError(Support.Cli.Run(CliKeys.VerifyArgs(_keys.Token, "--jwks", _host.Origin + "/jwks.json", "--cacert", bogus)), "--cacert", bogus);
    }

    private Support.Cli.Outcome Verify(string url) =>
        Support.Cli.Run(CliKeys.VerifyArgs(_keys.Token, "--jwks", url, "--cacert", CaCert));
}
