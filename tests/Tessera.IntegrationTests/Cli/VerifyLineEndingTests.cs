namespace Tessera.IntegrationTests.Cli;

/// <summary>
/// Line endings (docs/SPEC.md §3): on stdin a line ending in CR LF ends at the CR, so tokens from
/// a Windows file verify; a CR anywhere else, or in a token given as an argument, is part of the
/// token and makes it malformed.
/// </summary>
public sealed class VerifyLineEndingTests : IClassFixture<CliKeys>
{
    private readonly CliKeys _keys;

    public VerifyLineEndingTests(CliKeys keys) => _keys = keys;

    private string Jwks => _keys.Temp["jwks.json"];

    [Fact]
    public void Stdin_CrLf_EndsTheLine_AtTheCr()
    {
        string token = _keys.Token;
        Support.Cli.Outcome result = Support.Cli.Run([.. CliKeys.VerifyArgs("-", "--jwks", Jwks), "--json"], token + "\r\n" + token + "\r\n" + token);
        string[] lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("{\"valid\":true", line, StringComparison.Ordinal));
        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\r\n")]
    [InlineData("\r \n")]
    public void Stdin_OtherCr_IsPartOfTheToken_Malformed(string ending)
    {
        Support.Cli.Outcome result = Support.Cli.Run([.. CliKeys.VerifyArgs("-", "--jwks", Jwks), "--json"], _keys.Token + ending);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("""{"valid":false,"error":"malformed","message":"Malformed token"}""", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void Argument_WithATrailingLineEnd_IsMalformed(string ending)
    {
        Support.Cli.Outcome result = Support.Cli.Run([.. CliKeys.VerifyArgs(_keys.Token + ending, "--jwks", Jwks), "--json"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("""{"valid":false,"error":"malformed","message":"Malformed token"}""", result.Stdout.Trim());
    }
}
