using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Cli;

/// <summary>The real <c>tessera</c> executable: exit codes, output shapes and flags of docs/SPEC.md §3.</summary>
public sealed class CliTests : IDisposable
{
    private const string Iss = "https://auth.cli";
    private readonly TempDir _temp = new();

    public CliTests()
    {
        Assert.Equal(0, Support.Cli.Run(["keygen", "--out", Keys, "--now", "1800000000"]).ExitCode);
        Support.Cli.Outcome jwks = Support.Cli.Run(["jwks", "--keys", Keys, "--now", "1800000000"]);
        Assert.Equal(0, jwks.ExitCode);
        File.WriteAllText(Jwks, jwks.Stdout);
    }

    private string Keys => _temp["keys"];

    private string Jwks => _temp["jwks.json"];

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// All 12 commands of the usage text. keys and client have one subcommand each; their help,
    /// asked of the command or of the subcommand, is that of the subcommand.
    /// </summary>
    [Theory]
    [InlineData("keygen", "usage: tessera keygen ")]
    [InlineData("jwks", "usage: tessera jwks ")]
    [InlineData("issue", "usage: tessera issue ")]
    [InlineData("verify", "usage: tessera verify ")]
    [InlineData("inspect", "usage: tessera inspect ")]
    [InlineData("rotate", "usage: tessera rotate ")]
    [InlineData("keys", "usage: tessera keys import ")]
    [InlineData("keys import", "usage: tessera keys import ")]
    [InlineData("doctor", "usage: tessera doctor ")]
    [InlineData("serve", "usage: tessera serve ")]
    [InlineData("gate", "usage: tessera gate ")]
    [InlineData("client", "usage: tessera client add ")]
    [InlineData("client add", "usage: tessera client add ")]
    [InlineData("revoke", "usage: tessera revoke ")]
    public void EveryCommand_HasHelp(string command, string usage)
    {
        Support.Cli.Outcome help = Support.Cli.Run([.. command.Split(' '), "--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith(usage, help.Stdout, StringComparison.Ordinal);
        Assert.Equal("", help.Stderr);
    }

    [Fact]
    public void Verify_Json_ValidToken_PrintsValidAndClaims_Exit0()
    {
        string token = Issue();
        Support.Cli.Outcome result = Verify(token, "--json");
        Assert.Equal(0, result.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(result.Stdout);
        Assert.True(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("meter-17", doc.RootElement.GetProperty("claims").GetProperty("sub").GetString());
    }

    [Fact]
    public void Verify_Json_ExpiredToken_PrintsCodeAndMessage_Exit1()
    {
        string token = Issue();
        Support.Cli.Outcome result = Support.Cli.Run(["verify", token, "--jwks", Jwks, "--issuer", Iss, "--audience", "telemetry", "--now", "1800003600", "--json"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("""{"valid":false,"error":"expired","message":"Token expired"}""", result.Stdout.Trim());
    }

    [Fact]
    public void Verify_Stdin_AnswersOneLinePerToken_InOrder()
    {
        string good = Issue();
        string input = good + "\n" + "not-a-token\n" + good + "x\r\n" + good + "\n";
        Support.Cli.Outcome result = Support.Cli.Run(["verify", "-", "--jwks", Jwks, "--issuer", Iss, "--audience", "telemetry", "--now", "1800000010", "--json"], input);
        string[] lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Contains("\"valid\":true", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"error\":\"malformed\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"valid\":false", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"valid\":true", lines[3], StringComparison.Ordinal);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Verify_Json_KeepsEachAnswerOnOneLine_WhenThePayloadHasNewlines()
    {
        string pem = File.ReadAllText(Directory.GetFiles(Keys, "*.key.pem").Single());
        using Tessera.Algorithms.JwsKey key = Tessera.Algorithms.JwsKey.ImportPem(pem);
        string claims = "{\n \"iss\": \"" + Iss + "\",\n \"sub\": \"m\", \"aud\": \"telemetry\", \"exp\": 1800000300,\n \"iat\": 1800000000, \"jti\": \"j1\"\n}";
        string token = Tokens.Sign(key, Tokens.Header(key), claims);
        Support.Cli.Outcome result = Verify(token, "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Verify_PlainOutput_NeverEchoesTheToken()
    {
        string token = Issue();
        string tampered = token[..^4] + (token[^4] == 'A' ? "BAAA" : "AAAA");
        Support.Cli.Outcome result = Verify(tampered);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("invalid: Signature verification failed (invalid_signature)", result.Stdout.Trim());
        Assert.DoesNotContain(token.Split('.')[1], result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WithPublicKeyPem_Works()
    {
        string pub = Directory.GetFiles(Keys, "*.pub.pem").Single();
        Support.Cli.Outcome result = Support.Cli.Run(["verify", Issue(), "--key", pub, "--issuer", Iss, "--audience", "telemetry", "--now", "1800000010"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("valid", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("--issuer")]
    [InlineData("--audience")]
    public void Verify_MissingRequiredFlag_IsAUsageError_Exit2(string omitted)
    {
        var args = new List<string> { "verify", Issue(), "--jwks", Jwks, "--issuer", Iss, "--audience", "telemetry" };
        int at = args.IndexOf(omitted);
        args.RemoveRange(at, 2);
        Support.Cli.Outcome result = Support.Cli.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(omitted, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AlgNone_IsAUsageError_Exit2()
    {
        Support.Cli.Outcome result = Support.Cli.Run(["verify", Issue(), "--jwks", Jwks, "--issuer", Iss, "--audience", "telemetry", "--alg", "none"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("none", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AllowListExcludingTheKeyAlg_RefusesWithInvalidAlgorithm()
    {
        Support.Cli.Outcome result = Verify(Issue(), "--alg", "ES256", "--json");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"error\":\"invalid_algorithm\"", result.Stdout, StringComparison.Ordinal);
    }

    // Unknown options, on otherwise complete invocations of every command: UnknownOptionTests.
    [Fact]
    public void UnknownCommand_IsAUsageError_Exit2()
    {
        Support.Cli.Outcome result = Support.Cli.Run(["no-such-command"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown command 'no-such-command'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ExplainsWhatAValidatorWouldRefuse()
    {
        string none = Tokens.B64("""{"alg":"none","typ":"JWT"}""") + "." + Tokens.B64("""{"sub":"x","exp":1}""") + ".";
        Support.Cli.Outcome result = Support.Cli.Run(["inspect", none, "--now", "1800000000"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("three non-empty segments", result.Stdout, StringComparison.Ordinal);

        string token = Issue();
        Support.Cli.Outcome later = Support.Cli.Run(["inspect", token, "--now", "1800009999"]);
        Assert.Equal(1, later.ExitCode);
        Assert.Contains("expired:", later.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"sub\": \"meter-17\"", later.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_BesideAnActiveKey_MakesTheNextKey()
    {
        Support.Cli.Outcome second = Support.Cli.Run(["keygen", "--out", Keys, "--now", "1800000100"]);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("next, activates", second.Stdout, StringComparison.Ordinal);
        using JsonDocument jwks = JsonDocument.Parse(Support.Cli.Run(["jwks", "--keys", Keys, "--now", "1800000100"]).Stdout);
        Assert.Equal(2, jwks.RootElement.GetProperty("keys").GetArrayLength());
    }

    private string Issue() =>
        Support.Cli.Run(["issue", "--keys", Keys, "--issuer", Iss, "--audience", "telemetry", "--subject", "meter-17", "--now", "1800000000"]).Stdout.Trim();

    private Support.Cli.Outcome Verify(string token, params string[] extra) =>
        Support.Cli.Run(["verify", token, "--jwks", Jwks, "--issuer", Iss, "--audience", "telemetry", "--now", "1800000010", .. extra]);
}
