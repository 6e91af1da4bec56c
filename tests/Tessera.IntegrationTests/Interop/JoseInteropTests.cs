// Interop with panva/jose (Node.js, version pinned in tests/interop/package-lock.json), through
// the real tools on both sides: the `tessera` executable and jose's jwtVerify/SignJWT, run as
// child processes. Each direction also shows that the other side can refuse (tampered, wrong
// aud, alg none), so a verifier that accepted everything would fail here.
using System.Text.Json;
using Tessera.Keys;
using Tessera.Tests.Interop;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Interop;

using Cli = Tessera.IntegrationTests.Support.Cli;

/// <summary>Key directories made once by <c>tessera keygen</c>, with their <c>tessera jwks</c> output.</summary>
public sealed class TesseraKeyDirectories : IDisposable
{
    public static readonly string[] Algorithms = ["EdDSA", "ES256", "RS256", "PS256"];

    public TesseraKeyDirectories()
    {
        foreach (string alg in Algorithms)
        {
            // RS256 keeps the keygen default (4096 bits, the setting docs/SPEC.md §1 names for peers
            // without EdDSA); PS256 uses 2048 bits, the smallest size Tessera accepts.
            string[] bits = alg == "PS256" ? ["--bits", "2048"] : [];
            Cli.Outcome keygen = Cli.Run(["keygen", "--out", Temp[alg], "--alg", alg, "--now", Tokens.Now.ToString(), .. bits]);
            Assert.True(keygen.ExitCode == 0, $"keygen {alg}: {keygen.Stderr}");
            Cli.Outcome jwks = Cli.Run(["jwks", "--keys", Temp[alg], "--now", Tokens.Now.ToString()]);
            Assert.True(jwks.ExitCode == 0, $"jwks {alg}: {jwks.Stderr}");
            File.WriteAllText(Jwks(alg), jwks.Stdout);
        }
    }

    public TempDir Temp { get; } = new();

    public string Keys(string alg) => Temp[alg];

    public string Jwks(string alg) => Temp[alg + ".jwks.json"];

    public void Dispose() => Temp.Dispose();
}

/// <summary>Key pairs and tokens made once by jose (sign.mjs): one per algorithm, and one for a wrong audience.</summary>
public sealed class JoseTokens : IDisposable
{
    public const string WrongAudience = "wrong-aud";

    public JoseTokens()
    {
        foreach (string alg in TesseraKeyDirectories.Algorithms)
        {
            Sign(alg, alg, Tokens.Audience);
        }

        Sign(WrongAudience, "ES256", "billing");
    }

    public TempDir Temp { get; } = new();

    public string Jwks(string name) => Path.Combine(Temp[name], "jwks.json");

    public string Token(string name) => File.ReadAllText(Path.Combine(Temp[name], "token.jwt"));

    public string Unsecured(string name) => File.ReadAllText(Path.Combine(Temp[name], "unsecured.jwt"));

    public void Dispose() => Temp.Dispose();

    private void Sign(string name, string alg, string audience)
    {
        Directory.CreateDirectory(Temp[name]);
        Node.Run("sign.mjs", "--alg", alg, "--out", Temp[name], "--issuer", Tokens.Issuer, "--audience", audience,
            "--subject", "meter-17", "--now", Tokens.Now.ToString());
    }
}

public sealed class JoseInteropTests(TesseraKeyDirectories tessera, JoseTokens jose)
    : IClassFixture<TesseraKeyDirectories>, IClassFixture<JoseTokens>
{
    private const string Subject = "meter-17";

    public static TheoryData<string> Algorithms => new(TesseraKeyDirectories.Algorithms);

    // ---- Tessera issues, jose verifies ----

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Jose_Accepts_TokenIssuedByTesseraCli(string alg)
    {
        string token = Issue(tessera.Keys(alg));
        string kid = Kid(tessera.Jwks(alg));

        JsonElement verdict = Node.Verify(tessera.Jwks(alg), Tokens.Issuer, Tokens.Audience, Tokens.Now, token)[0];

        Assert.True(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
        JsonElement header = verdict.GetProperty("header");
        Assert.Equal(alg, header.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal(kid, header.GetProperty("kid").GetString());
        JsonElement payload = verdict.GetProperty("payload");
        Assert.Equal(Tokens.Issuer, payload.GetProperty("iss").GetString());
        Assert.Equal(Subject, payload.GetProperty("sub").GetString());
        Assert.Equal(Tokens.Audience, payload.GetProperty("aud").GetString());
        Assert.Equal(Tokens.Now + 900, payload.GetProperty("exp").GetInt64());
        Assert.Equal("telemetry:write", payload.GetProperty("scope").GetString());
        Assert.True(payload.GetProperty("jti").GetString()!.Length >= 22);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Jose_Rejects_TesseraToken_WhenSignatureOrPayloadIsTampered(string alg)
    {
        string token = Issue(tessera.Keys(alg));
        string[] forged = [Tamper.SignatureBit(token), Tamper.Payload(token, Subject, "meter-18")];

        IReadOnlyList<JsonElement> verdicts = Node.Verify(tessera.Jwks(alg), Tokens.Issuer, Tokens.Audience, Tokens.Now, forged);

        foreach (JsonElement verdict in verdicts)
        {
            Assert.False(verdict.GetProperty("valid").GetBoolean(), verdict.ToString());
            Assert.Equal("ERR_JWS_SIGNATURE_VERIFICATION_FAILED", verdict.GetProperty("code").GetString());
        }
    }

    [Fact]
    public void Jose_Accepts_TokensAcrossRotation_WhenNextKeyWasPrePublished()
    {
        // docs/SPEC.md §5: the next key is in the JWKS before it signs, so a cached JWKS never meets an
        // unknown kid. jose picks among two keys of the same type by kid alone.
        using var dir = new TempDir();
        string keys = dir["keys"];
        Assert.Equal(0, Cli.Run(["keygen", "--out", keys, "--alg", "ES256", "--now", Tokens.Now.ToString()]).ExitCode);
        Assert.Equal(0, Cli.Run(["keygen", "--out", keys, "--alg", "ES256", "--now", Tokens.Now.ToString()]).ExitCode);
        Cli.Outcome jwks = Cli.Run(["jwks", "--keys", keys, "--now", Tokens.Now.ToString()]);
        File.WriteAllText(dir["jwks.json"], jwks.Stdout);
        Assert.Equal(2, KeySet.FromJwks(jwks.Stdout).Keys.Count);

        long later = Tokens.Now + (long)TimeSpan.FromDays(3).TotalSeconds;
        string before = Issue(keys, Tokens.Now);
        string after = Issue(keys, later);
        Assert.NotEqual(HeaderKid(before), HeaderKid(after));

        JsonElement first = Node.Verify(dir["jwks.json"], Tokens.Issuer, Tokens.Audience, Tokens.Now, before)[0];
        JsonElement second = Node.Verify(dir["jwks.json"], Tokens.Issuer, Tokens.Audience, later, after)[0];
        Assert.True(first.GetProperty("valid").GetBoolean(), first.ToString());
        Assert.True(second.GetProperty("valid").GetBoolean(), second.ToString());
    }

    // ---- jose signs, Tessera verifies ----

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Tessera_Accepts_TokenSignedByJose(string alg)
    {
        Cli.Outcome outcome = Verify(jose.Token(alg), jose.Jwks(alg));

        Assert.True(outcome.ExitCode == 0, outcome.Stdout + outcome.Stderr);
        using JsonDocument answer = JsonDocument.Parse(outcome.Stdout);
        Assert.True(answer.RootElement.GetProperty("valid").GetBoolean());
        JsonElement claims = answer.RootElement.GetProperty("claims");
        Assert.Equal(Tokens.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal(Subject, claims.GetProperty("sub").GetString());
        Assert.Equal(Tokens.Audience, claims.GetProperty("aud").GetString());
        Assert.Equal(Tokens.Now + 300, claims.GetProperty("exp").GetInt64());
        Assert.True(Guid.TryParse(claims.GetProperty("jti").GetString(), out _));
        Assert.Equal("telemetry:write", claims.GetProperty("scope").GetString());
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Tessera_And_Jose_Agree_OnRfc7638Thumbprint(string alg)
    {
        // sign.mjs sets kid = jose's calculateJwkThumbprint; Tessera computes its own.
        Tessera.Algorithms.JwsKey key = KeySet.FromJwks(File.ReadAllText(jose.Jwks(alg))).Keys[0];
        Assert.Equal(alg, key.Algorithm.Name);
        Assert.Equal(Kid(jose.Jwks(alg)), key.Thumbprint);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Tessera_Rejects_JoseToken_WhenSignatureIsTampered(string alg)
    {
        AssertRefused(Verify(Tamper.SignatureBit(jose.Token(alg)), jose.Jwks(alg)), "invalid_signature", "Signature verification failed");
    }

    [Fact]
    public void Tessera_Rejects_JoseToken_WhenAudienceIsWrong()
    {
        AssertRefused(Verify(jose.Token(JoseTokens.WrongAudience), jose.Jwks(JoseTokens.WrongAudience)), "invalid_audience", "Invalid audience");
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Tessera_Rejects_JoseUnsecuredJwt_AsInvalidAlgorithm_ThroughTheCli(string alg)
    {
        // jose's UnsecuredJWT is "{"alg":"none"}.payload." — an algorithm attack: the empty
        // signature passes step 1 (docs/SPEC.md §2) and step 2 refuses "none".
        string unsecured = jose.Unsecured(alg);
        Assert.EndsWith(".", unsecured, StringComparison.Ordinal);
        AssertRefused(Verify(unsecured, jose.Jwks(alg)), "invalid_algorithm", "Invalid algorithm");
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Tessera_Rejects_JoseUnsecuredJwt_AsInvalidAlgorithm_WhenARealSignatureIsAppended(string alg)
    {
        string unsecured = jose.Unsecured(alg);
        string signature = jose.Token(alg).Split('.')[2];
        AssertRefused(Verify(unsecured + signature, jose.Jwks(alg)), "invalid_algorithm", "Invalid algorithm");
    }

    [Fact]
    public void Tessera_BindsJoseRsaKeyWithoutAlg_OnlyToTheAlgorithmGivenWithAlgFlag()
    {
        // jose's exportJWK writes no "alg". An RSA key may serve RS* or PS*, so Tessera skips
        // such a key (docs/SPEC.md §1: a key is bound to one algorithm) unless --alg names it.
        using var dir = new TempDir();
        using JsonDocument set = JsonDocument.Parse(File.ReadAllText(jose.Jwks("PS256")));
        JsonElement key = set.RootElement.GetProperty("keys")[0];
        string withoutAlg = JsonSerializer.Serialize(new
        {
            keys = new[] { key.EnumerateObject().Where(p => p.Name != "alg").ToDictionary(p => p.Name, p => p.Value) },
        });
        File.WriteAllText(dir["jwks.json"], withoutAlg);

        Cli.Outcome unbound = Verify(jose.Token("PS256"), dir["jwks.json"]);
        Assert.Equal(2, unbound.ExitCode);
        Assert.Contains("no usable signing key", unbound.Stderr, StringComparison.Ordinal);

        Cli.Outcome wrong = Verify(jose.Token("PS256"), dir["jwks.json"], "--alg", "RS256");
        AssertRefused(wrong, "invalid_algorithm", "Invalid algorithm");

        Cli.Outcome bound = Verify(jose.Token("PS256"), dir["jwks.json"], "--alg", "PS256");
        Assert.True(bound.ExitCode == 0, bound.Stdout + bound.Stderr);
    }

    private static string Issue(string keys, long now = Tokens.Now)
    {
        Cli.Outcome issue = Cli.Run(["issue", "--keys", keys, "--issuer", Tokens.Issuer, "--audience", Tokens.Audience,
            "--subject", Subject, "--scope", "telemetry:write", "--now", now.ToString()]);
        Assert.True(issue.ExitCode == 0, issue.Stderr);
        return issue.Stdout.Trim();
    }

    private static Cli.Outcome Verify(string token, string jwksFile, params string[] extra) =>
        Cli.Run(["verify", token, "--jwks", jwksFile, "--issuer", Tokens.Issuer, "--audience", Tokens.Audience,
            "--now", Tokens.Now.ToString(), "--json", .. extra]);

    private static void AssertRefused(Cli.Outcome outcome, string code, string message)
    {
        Assert.True(outcome.ExitCode == 1, $"exit {outcome.ExitCode}: {outcome.Stdout}{outcome.Stderr}");
        using JsonDocument answer = JsonDocument.Parse(outcome.Stdout);
        Assert.False(answer.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(code, answer.RootElement.GetProperty("error").GetString());
        Assert.Equal(message, answer.RootElement.GetProperty("message").GetString());
    }

    private static string Kid(string jwksFile)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(jwksFile));
        return doc.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString()!;
    }

    private static string HeaderKid(string token)
    {
        using JsonDocument header = JsonDocument.Parse(Tessera.Jose.Base64Url.Decode(token.Split('.')[0])!);
        return header.RootElement.GetProperty("kid").GetString()!;
    }
}
