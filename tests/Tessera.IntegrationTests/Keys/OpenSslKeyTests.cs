// Keys and signatures made by the real `openssl` CLI (3.x), the way the operator's manual makes
// them (`openssl genpkey`, `openssl rsa -pubout`, `openssl pkey -pubout`), against Tessera's key
// import, signatures and CLI; and the reverse: openssl reads and checks what `tessera keygen`
// and `tessera issue` write. openssl missing FAILS the tests: scripts/test.sh installs it.
using System.Diagnostics;
using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Tessera.Algorithms;
using Tessera.IntegrationTests.Support;
using Tessera.Keys;
using Tessera.Tests.Interop;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.IntegrationTests.Keys;

using Cli = Tessera.IntegrationTests.Support.Cli;

/// <summary>Keys made once per class (RSA-4096 generation is slow): by openssl, and by tessera keygen.</summary>
public sealed class OpenSslKeyFiles : IDisposable
{
    public static readonly string[] KeygenAlgorithms = ["EdDSA", "ES256", "RS256"];

    public OpenSslKeyFiles()
    {
        OpenSsl.Ok("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096", "-out", Dir["rsa.pem"]);
        OpenSsl.Ok("rsa", "-pubout", "-in", Dir["rsa.pem"], "-out", Dir["rsa.pub.pem"]);
        OpenSsl.Ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", Dir["ec.pem"]);
        OpenSsl.Ok("pkey", "-pubout", "-in", Dir["ec.pem"], "-out", Dir["ec.pub.pem"]);
        OpenSsl.Ok("genpkey", "-algorithm", "ed25519", "-out", Dir["ed.pem"]);
        OpenSsl.Ok("pkey", "-pubout", "-in", Dir["ed.pem"], "-out", Dir["ed.pub.pem"]);
        OpenSsl.Ok("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", Dir["rsa1024.pem"]);
        OpenSsl.Ok("rsa", "-pubout", "-in", Dir["rsa1024.pem"], "-out", Dir["rsa1024.pub.pem"]);

        foreach (string alg in KeygenAlgorithms)
        {
            // RS256 keeps the keygen default of 4096 bits.
            Cli.Outcome keygen = Cli.Run(["keygen", "--out", Dir["keygen-" + alg], "--alg", alg, "--now", Tokens.Now.ToString()]);
            Assert.True(keygen.ExitCode == 0, $"keygen {alg}: {keygen.Stderr}");
        }
    }

    public TempDir Dir { get; } = new();

    public string Text(string name) => File.ReadAllText(Dir[name]);

    public string KeygenDir(string alg) => Dir["keygen-" + alg];

    public string KeygenFile(string alg, string suffix) => Directory.GetFiles(KeygenDir(alg), "*" + suffix).Single();

    public void Dispose() => Dir.Dispose();
}

public sealed class OpenSslKeyTests(OpenSslKeyFiles files) : IClassFixture<OpenSslKeyFiles>
{
    // (openssl key file, algorithm): the RSA key serves both RS256 and PS256.
    public static TheoryData<string, string> OpenSslKeys => new()
    {
        { "rsa", "RS256" },
        { "rsa", "PS256" },
        { "ec", "ES256" },
        { "ed", "EdDSA" },
    };

    public static TheoryData<string> KeygenAlgorithms => new(OpenSslKeyFiles.KeygenAlgorithms);

    // ---- openssl keys into Tessera ----

    [Theory]
    [MemberData(nameof(OpenSslKeys))]
    public void ImportPem_Loads_OpenSslKeyPair_WhoseTokensVerifyUnderItsPublicKey(string file, string alg)
    {
        using JwsKey privateKey = Import(files.Text(file + ".pem"), alg);
        using JwsKey publicKey = Import(files.Text(file + ".pub.pem"), alg);

        Assert.Equal(alg, privateKey.Algorithm.Name);
        Assert.Equal(alg, publicKey.Algorithm.Name);
        Assert.True(privateKey.HasPrivateKey);
        Assert.False(publicKey.HasPrivateKey);
        Assert.Equal(file == "rsa" ? 4096 : 256, publicKey.KeySizeBits);
        Assert.Equal(privateKey.Thumbprint, publicKey.Thumbprint);

        string token = Tokens.Valid(privateKey);
        TokenValidator validator = Validators.For(publicKey);
        Assert.True(validator.Validate(token).IsValid);
        Assert.Equal(ValidationError.InvalidSignature, validator.Validate(Tamper.SignatureBit(token)).Error);
    }

    [Theory]
    [MemberData(nameof(OpenSslKeys))]
    public void TesseraCliVerify_Accepts_TokenSignedWithOpenSslKey_GivenItsPublicPem(string file, string alg)
    {
        using JwsKey privateKey = Import(files.Text(file + ".pem"), alg);
        string token = Tokens.Valid(privateKey);

        Cli.Outcome ok = VerifyWithPem(token, files.Dir[file + ".pub.pem"], alg);
        Cli.Outcome forged = VerifyWithPem(Tamper.SignatureBit(token), files.Dir[file + ".pub.pem"], alg);

        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);
        Assert.Contains("\"valid\":true", ok.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, forged.ExitCode);
        Assert.Contains("\"error\":\"invalid_signature\"", forged.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OpenSslKeys))]
    public void Validate_Accepts_JwsSignedByOpenSslItself(string file, string alg)
    {
        using JwsKey publicKey = Import(files.Text(file + ".pub.pem"), alg);
        using var work = new TempDir();
        string signingInput = Tokens.B64(Tokens.Header(publicKey)) + "." + Tokens.B64(Tokens.Claims());
        File.WriteAllText(work["input"], signingInput);

        byte[] signature = OpenSslSign(files.Dir[file + ".pem"], alg, work, []);
        if (alg == "ES256")
        {
            // openssl writes ECDSA signatures as DER; JWS uses raw R||S (RFC 7518 §3.4).
            string der = signingInput + "." + Tokens.B64(signature);
            Assert.Equal(ValidationError.InvalidSignature, Validators.For(publicKey).Validate(der).Error);
            signature = DerToRaw(signature, 32);
        }

        ValidationResult result = Validators.For(publicKey).Validate(signingInput + "." + Tokens.B64(signature));
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Validate_Rejects_OpenSslPssSignature_WhenSaltIsNotTheHashLength()
    {
        // RFC 7518 §3.5: the PSS salt is as long as the hash. openssl's "max" salt is not.
        using JwsKey publicKey = Import(files.Text("rsa.pub.pem"), "PS256");
        using var work = new TempDir();
        string signingInput = Tokens.B64(Tokens.Header(publicKey)) + "." + Tokens.B64(Tokens.Claims());
        File.WriteAllText(work["input"], signingInput);

        byte[] good = OpenSslSign(files.Dir["rsa.pem"], "PS256", work, []);
        byte[] maxSalt = OpenSslSign(files.Dir["rsa.pem"], "PS256", work, ["-sigopt", "rsa_pss_saltlen:max"]);

        Assert.True(Validators.For(publicKey).Validate(signingInput + "." + Tokens.B64(good)).IsValid);
        Assert.Equal(ValidationError.InvalidSignature, Validators.For(publicKey).Validate(signingInput + "." + Tokens.B64(maxSalt)).Error);
    }

    [Fact]
    public void ImportPem_Rejects_OpenSsl1024BitRsaKey_NamingTheMinimum()
    {
        foreach (string name in new[] { "rsa1024.pem", "rsa1024.pub.pem" })
        {
            KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportPem(files.Text(name)));
            Assert.Contains("2048", ex.Message, StringComparison.Ordinal);
        }

        Cli.Outcome cli = VerifyWithPem("a.b.c", files.Dir["rsa1024.pub.pem"], "RS256");
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("2048", cli.Stderr, StringComparison.Ordinal);
        Assert.Empty(cli.Stdout);
    }

    [Fact]
    public void ImportPem_Rejects_OpenSslP256Key_WhenBoundToES384()
    {
        foreach (string name in new[] { "ec.pem", "ec.pub.pem" })
        {
            KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportPem(files.Text(name), JwsAlgorithm.ES384));
            Assert.Contains("P-384", ex.Message, StringComparison.Ordinal);
        }

        Cli.Outcome cli = VerifyWithPem("a.b.c", files.Dir["ec.pub.pem"], "ES384");
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("P-384", cli.Stderr, StringComparison.Ordinal);
        Assert.Empty(cli.Stdout);
    }

    [Fact]
    public void ImportPem_Loads_OpenSslTraditionalPkcs1AndSec1Forms_AsTheSameKeys()
    {
        using var work = new TempDir();
        OpenSsl.Ok("rsa", "-in", files.Dir["rsa.pem"], "-traditional", "-out", work["pkcs1.pem"]);
        OpenSsl.Ok("rsa", "-in", files.Dir["rsa.pem"], "-RSAPublicKey_out", "-out", work["pkcs1.pub.pem"]);
        OpenSsl.Ok("ec", "-in", files.Dir["ec.pem"], "-out", work["sec1.pem"]);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", File.ReadAllText(work["pkcs1.pem"]), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN RSA PUBLIC KEY-----", File.ReadAllText(work["pkcs1.pub.pem"]), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", File.ReadAllText(work["sec1.pem"]), StringComparison.Ordinal);

        using JwsKey rsa = JwsKey.ImportPem(files.Text("rsa.pem"));
        using JwsKey ec = JwsKey.ImportPem(files.Text("ec.pem"));
        Assert.Equal(rsa.Thumbprint, JwsKey.ImportPem(File.ReadAllText(work["pkcs1.pem"])).Thumbprint);
        Assert.Equal(rsa.Thumbprint, JwsKey.ImportPem(File.ReadAllText(work["pkcs1.pub.pem"])).Thumbprint);
        Assert.Equal(ec.Thumbprint, JwsKey.ImportPem(File.ReadAllText(work["sec1.pem"])).Thumbprint);
    }

    [Fact]
    public void ImportPem_Loads_OpenSslEcparamGenkeyOutput_WithItsLeadingEcParametersBlock()
    {
        // `openssl ecparam -name prime256v1 -genkey` is the most common recipe for an EC key; it
        // writes an "EC PARAMETERS" block before the SEC 1 "EC PRIVATE KEY" block.
        using var work = new TempDir();
        OpenSsl.Ok("ecparam", "-name", "prime256v1", "-genkey", "-out", work["ecparam.pem"]);
        string pem = File.ReadAllText(work["ecparam.pem"]);
        Assert.StartsWith("-----BEGIN EC PARAMETERS-----", pem, StringComparison.Ordinal);

        using JwsKey key = JwsKey.ImportPem(pem);
        Assert.Equal("ES256", key.Algorithm.Name);
        Assert.True(key.HasPrivateKey);
    }

    // ---- tessera keygen / issue into openssl ----

    [Theory]
    [MemberData(nameof(KeygenAlgorithms))]
    public void OpenSsl_Reads_TesseraKeygenFiles_AndDerivesTheSamePublicKey(string alg)
    {
        string privatePem = files.KeygenFile(alg, ".key.pem");
        string publicPem = files.KeygenFile(alg, ".pub.pem");

        Assert.Equal(0, OpenSsl.Run("pkey", "-in", privatePem, "-noout").ExitCode);
        Assert.Equal(0, OpenSsl.Run("pkey", "-pubin", "-in", publicPem, "-noout").ExitCode);
        string text = OpenSsl.Ok("pkey", "-in", privatePem, "-noout", "-text");
        Assert.Contains(alg switch { "EdDSA" => "ED25519 Private-Key", "ES256" => "NIST CURVE: P-256", _ => "Private-Key: (4096 bit" }, text, StringComparison.Ordinal);

        string derived = OpenSsl.Ok("pkey", "-in", privatePem, "-pubout");
        Assert.Equal(Der(derived, "PUBLIC KEY"), Der(File.ReadAllText(publicPem), "PUBLIC KEY"));
        Assert.Equal(Der(OpenSsl.Ok("pkey", "-in", privatePem), "PRIVATE KEY"), Der(File.ReadAllText(privatePem), "PRIVATE KEY"));
    }

    [Theory]
    [MemberData(nameof(KeygenAlgorithms))]
    public void TesseraKeygen_WritesPemWithLfLineEndings_LikeOpenSsl(string alg)
    {
        // openssl writes LF only; a file with CRLF (or mixed) endings makes
        // `openssl pkey -pubout | diff - KID.pub.pem` fail and trips line-based tooling.
        foreach (string suffix in new[] { ".key.pem", ".pub.pem" })
        {
            string text = File.ReadAllText(files.KeygenFile(alg, suffix));
            Assert.False(text.Contains('\r'), $"{alg} {suffix} has CR line endings");
        }
    }

    [Theory]
    [MemberData(nameof(KeygenAlgorithms))]
    public void OpenSsl_Verifies_SignatureOfTokenIssuedByTesseraCli(string alg)
    {
        Cli.Outcome issue = Cli.Run(["issue", "--keys", files.KeygenDir(alg), "--issuer", Tokens.Issuer, "--audience", Tokens.Audience,
            "--subject", "meter-17", "--now", Tokens.Now.ToString()]);
        Assert.True(issue.ExitCode == 0, issue.Stderr);
        string[] parts = issue.Stdout.Trim().Split('.');
        using var work = new TempDir();
        File.WriteAllText(work["input"], parts[0] + "." + parts[1]);
        byte[] signature = Tessera.Jose.Base64Url.Decode(parts[2])!;
        byte[] forged = (byte[])signature.Clone();
        forged[0] ^= 1;

        Assert.Equal(0, OpenSslVerify(files.KeygenFile(alg, ".pub.pem"), alg, work, signature));
        Assert.Equal(1, OpenSslVerify(files.KeygenFile(alg, ".pub.pem"), alg, work, forged));
    }

    private static JwsKey Import(string pem, string alg) =>
        // RS256, ES256 and EdDSA are what these key types import as by default ("as they are").
        JwsKey.ImportPem(pem, alg == "PS256" ? JwsAlgorithm.PS256 : null);

    private static Cli.Outcome VerifyWithPem(string token, string pemFile, string alg) =>
        Cli.Run(["verify", token, "--key", pemFile, "--alg", alg, "--issuer", Tokens.Issuer, "--audience", Tokens.Audience,
            "--now", Tokens.Now.ToString(), "--json"]);

    private static byte[] OpenSslSign(string privatePem, string alg, TempDir work, string[] extra)
    {
        string[] args = alg switch
        {
            "EdDSA" => ["pkeyutl", "-sign", "-rawin", "-inkey", privatePem, "-in", work["input"], "-out", work["sig"]],
            "PS256" => ["dgst", "-sha256", "-sign", privatePem, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest", .. extra, "-out", work["sig"], work["input"]],
            _ => ["dgst", "-sha256", "-sign", privatePem, "-out", work["sig"], work["input"]],
        };
        OpenSsl.Ok(args);
        return File.ReadAllBytes(work["sig"]);
    }

    private static int OpenSslVerify(string publicPem, string alg, TempDir work, byte[] jwsSignature)
    {
        File.WriteAllBytes(work["sig"], alg == "ES256" ? RawToDer(jwsSignature) : jwsSignature);
        OpenSsl.Outcome outcome = alg == "EdDSA"
            ? OpenSsl.Run("pkeyutl", "-verify", "-pubin", "-inkey", publicPem, "-rawin", "-in", work["input"], "-sigfile", work["sig"])
            : OpenSsl.Run("dgst", "-sha256", "-verify", publicPem, "-signature", work["sig"], work["input"]);
        Assert.Contains(outcome.ExitCode == 0 ? "Verified" : "fail", outcome.Stdout + outcome.Stderr, StringComparison.OrdinalIgnoreCase);
        return outcome.ExitCode;
    }

    private static byte[] Der(string pem, string label)
    {
        PemFields fields = PemEncoding.Find(pem);
        Assert.Equal(label, pem[fields.Label]);
        byte[] der = new byte[fields.DecodedDataLength];
        Assert.True(Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out int written) && written == der.Length);
        return der;
    }

    // ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3) <-> R||S.
    private static byte[] DerToRaw(byte[] der, int size)
    {
        AsnReader sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        byte[] raw = new byte[2 * size];
        foreach (int offset in new[] { 0, size })
        {
            byte[] value = sequence.ReadInteger().ToByteArray(isUnsigned: true, isBigEndian: true);
            value.CopyTo(raw, offset + size - value.Length);
        }

        return raw;
    }

    private static byte[] RawToDer(byte[] raw)
    {
        int size = raw.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(raw.AsSpan(0, size), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(raw.AsSpan(size), isUnsigned: true, isBigEndian: true));
        }

        return writer.Encode();
    }
}

/// <summary>Runs the real <c>openssl</c> executable.</summary>
internal static class OpenSsl
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs openssl and fails the test unless it exits 0; returns stdout.</summary>
    public static string Ok(params string[] args)
    {
        Outcome outcome = Run(args);
        Assert.True(outcome.ExitCode == 0, $"openssl {string.Join(' ', args)} exited {outcome.ExitCode}: {outcome.Stderr}");
        return outcome.Stdout;
    }

    public static Outcome Run(params string[] args)
    {
        (int exit, string stdout, string stderr) = ChildProcess.Run(ChildProcess.Info("openssl", args), timeoutSeconds: 300);
        return new Outcome(exit, stdout, stderr);
    }
}
