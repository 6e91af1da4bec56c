// Keys generated inside a real SoftHSM2 token sign tokens that Tessera's own validator and
// OpenSSL both accept, with the kid the thumbprint of the public key the token gives out.
using System.Diagnostics;
using System.Formats.Asn1;
using System.Text;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.IntegrationTests.Support;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Validation;

namespace Tessera.IntegrationTests.Hsm;

[Collection(SoftHsmGroup.Name)]
public sealed class HsmSigningTests(SoftHsm hsm, ITestOutputHelper output)
{
    private const string Issuer = "https://auth.example";

    // RSA keys are 2048 bits here to keep the suite quick; production defaults to 4096.
    [Theory]
    [InlineData("EdDSA")]
    [InlineData("ES256")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public void A_key_made_in_the_token_signs_tokens_that_Tessera_and_OpenSSL_verify(string name)
    {
        JwsAlgorithm alg = JwsAlgorithm.Parse(name);
        string kid = hsm.Backend.Generate(alg, rsaBits: 2048);
        try
        {
            using JwsKey publicKey = hsm.Backend.PublicKey(kid, alg)!;
            Assert.False(publicKey.HasPrivateKey);
            Assert.Equal(publicKey.Thumbprint, kid);
            IJwsSigner signer = hsm.Backend.Find(kid, alg)!;
            Assert.Equal(kid, signer.KeyId);

            var issuer = new TokenIssuer(new IssuanceOptions { Issuer = Issuer });
            var watch = Stopwatch.StartNew();
            string token = issuer.Issue(signer, new TokenRequest { Subject = "meter-17", Audiences = ["telemetry"] }).Token;
            for (int i = 0; i < 19; i++)
            {
                issuer.Issue(signer, new TokenRequest { Subject = "meter-17", Audiences = ["telemetry"] });
            }

            output.WriteLine($"{name}: {watch.Elapsed.TotalMilliseconds / 20:F2} ms per token signed in SoftHSM2");

            using JsonDocument header = JsonDocument.Parse(Base64Url.Decode(token.Split('.')[0])!);
            Assert.Equal(name, header.RootElement.GetProperty("alg").GetString());
            Assert.Equal(kid, header.RootElement.GetProperty("kid").GetString());

            var validator = new TokenValidator(
                new ValidationOptions { Issuer = Issuer, Audiences = ["telemetry"], Algorithms = [alg] },
                new KeySet([publicKey]));
            ValidationResult result = validator.Validate(token);
            Assert.True(result.IsValid, result.ToString());
            Assert.Equal("meter-17", result.Claims!.Subject);

            Assert.True(OpenSslVerifies(publicKey, alg, token), "openssl refused the HSM's signature");
            string[] parts = token.Split('.');
            string tampered = parts[0] + "." + Base64Url.Encode(Encoding.UTF8.GetBytes("{\"sub\":\"other\"}")) + "." + parts[2];
            Assert.False(OpenSslVerifies(publicKey, alg, tampered), "openssl accepted a changed payload: the check proves nothing");
        }
        finally
        {
            Assert.True(hsm.Backend.Destroy(kid));
        }

        Assert.Null(hsm.Backend.Find(kid, alg));
        Assert.Null(hsm.Backend.Describe(kid));
    }

    [Fact]
    public void Signing_from_many_threads_at_once_gives_valid_signatures()
    {
        string kid = hsm.Backend.Generate(JwsAlgorithm.EdDSA);
        try
        {
            using JwsKey publicKey = hsm.Backend.PublicKey(kid, JwsAlgorithm.EdDSA)!;
            IJwsSigner signer = hsm.Backend.Find(kid, JwsAlgorithm.EdDSA)!;
            var validator = new TokenValidator(
                new ValidationOptions { Issuer = Issuer, Audiences = ["a"], Algorithms = [JwsAlgorithm.EdDSA] },
                new KeySet([publicKey]));
            var tokens = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var issuer = new TokenIssuer(new IssuanceOptions { Issuer = Issuer });
                tokens.Add(issuer.Issue(signer, new TokenRequest { Subject = "s" + i, Audiences = ["a"] }).Token);
            });
            Assert.Equal(64, tokens.Count);
            Assert.All(tokens, t => Assert.True(validator.Validate(t).IsValid));
        }
        finally
        {
            hsm.Backend.Destroy(kid);
        }
    }

    [Fact]
    public void A_signer_whose_key_was_destroyed_fails_with_a_clear_error()
    {
        string kid = hsm.Backend.Generate(JwsAlgorithm.ES256);
        IJwsSigner signer = hsm.Backend.Find(kid, JwsAlgorithm.ES256)!;
        Assert.True(hsm.Backend.Destroy(kid));
        var issuer = new TokenIssuer(new IssuanceOptions { Issuer = Issuer });
        var e = Assert.Throws<Tessera.Keys.Pkcs11.HsmException>(() => issuer.Issue(signer, new TokenRequest { Subject = "s", Audiences = ["a"] }));
        Assert.Contains(kid, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_RSA_key_is_refused_for_an_EC_algorithm_and_an_unknown_kid_is_not_found()
    {
        string kid = hsm.Backend.Generate(JwsAlgorithm.ES256);
        try
        {
            Assert.Throws<Tessera.Keys.Pkcs11.HsmException>(() => hsm.Backend.Find(kid, JwsAlgorithm.RS256));
            Assert.Throws<Tessera.Keys.Pkcs11.HsmException>(() => hsm.Backend.Find(kid, JwsAlgorithm.EdDSA));
            Assert.Null(hsm.Backend.Find("no-such-kid", JwsAlgorithm.ES256));
            Assert.Throws<Tessera.Keys.Pkcs11.HsmException>(() => hsm.Backend.Generate(JwsAlgorithm.HS256));
        }
        finally
        {
            hsm.Backend.Destroy(kid);
        }
    }

    private bool OpenSslVerifies(JwsKey publicKey, JwsAlgorithm alg, string token)
    {
        string dir = Path.Combine(hsm.Directory, "verify-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        int dot = token.LastIndexOf('.');
        string pem = Path.Combine(dir, "pub.pem"), data = Path.Combine(dir, "data"), sig = Path.Combine(dir, "sig");
        File.WriteAllText(pem, publicKey.ExportPublicKeyPem());
        File.WriteAllBytes(data, Encoding.ASCII.GetBytes(token[..dot]));
        byte[] signature = Base64Url.Decode(token.AsSpan(dot + 1))!;
        File.WriteAllBytes(sig, alg == JwsAlgorithm.ES256 ? Der(signature) : signature);
        string[] args = alg.Name switch
        {
            "EdDSA" => ["pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin", "-in", data, "-sigfile", sig],
            "PS256" => ["dgst", "-sha256", "-verify", pem, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-signature", sig, data],
            _ => ["dgst", "-sha256", "-verify", pem, "-signature", sig, data],
        };
        (int code, string stdout, string stderr) = ChildProcess.Run(ChildProcess.Info("openssl", args));
        output.WriteLine($"openssl {alg.Name}: {code} {stdout.Trim()} {stderr.Trim()}");
        return code == 0;
    }

    // JWS ES256 signatures are raw R||S (RFC 7518 §3.4); OpenSSL wants the DER SEQUENCE.
    private static byte[] Der(byte[] raw)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(raw.AsSpan(0, raw.Length / 2));
            writer.WriteIntegerUnsigned(raw.AsSpan(raw.Length / 2));
        }

        return writer.Encode();
    }
}
