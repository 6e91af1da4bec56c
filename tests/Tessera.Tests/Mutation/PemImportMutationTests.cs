using System.Formats.Asn1;
using System.Security.Cryptography;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Mutation;

/// <summary>
/// PEM import: every accepted label keeps or drops the private part as it should, and every refusal
/// says which problem it is (the operator reads the message; the type alone does not tell).
/// </summary>
public sealed class PemImportMutationTests
{
    [Fact]
    public void ImportPem_Refuses_Null_AsAnArgumentError()
    {
        Assert.Throws<ArgumentNullException>(() => JwsKey.ImportPem(null!));
    }

    [Theory]
    [InlineData("rsa-pkcs1-private", "RS256", true)]
    [InlineData("rsa-pkcs1-public", "RS256", false)]
    [InlineData("rsa-pkcs8", "RS256", true)]
    [InlineData("rsa-spki", "RS256", false)]
    [InlineData("ec-sec1", "ES256", true)]
    [InlineData("ec-sec1-after-ec-parameters", "ES256", true)]
    [InlineData("ec-pkcs8", "ES256", true)]
    [InlineData("ec-spki", "ES256", false)]
    public void ImportPem_KeepsThePrivatePart_ExactlyWhenTheBlockHasOne(string form, string alg, bool hasPrivate)
    {
        JwsKey key = JwsKey.ImportPem(Pem(form));
        Assert.Equal(alg, key.Algorithm.Name);
        Assert.Equal(hasPrivate, key.HasPrivateKey);
        Assert.Equal(TestKeys.For(alg).Thumbprint, key.Thumbprint);
    }

    [Theory]
    [InlineData("no-block", null, "No PEM key block found")]
    [InlineData("encrypted", null, "Encrypted private keys are not supported")]
    [InlineData("certificate", null, "Unsupported PEM label 'CERTIFICATE'")]
    [InlineData("spki-not-der", null, "not valid DER")]
    [InlineData("pkcs1-not-der", null, "The key could not be read")]
    [InlineData("oid:1.3.101.113", null, "Ed448 keys are not supported")]
    [InlineData("oid:1.3.101.110", null, "for key agreement")]
    [InlineData("oid:1.3.101.111", null, "for key agreement")]
    [InlineData("oid:1.2.840.113549.1.1.10", null, "RSA-PSS-restricted keys")]
    [InlineData("oid:1.2.3.4", null, "Unsupported key algorithm (OID 1.2.3.4)")]
    [InlineData("rsa-spki", "ES256", "An RSA key cannot be used with ES256")]
    [InlineData("ec-spki", "RS256", "An EC key cannot be used with RS256")]
    [InlineData("brainpool", null, "unsupported curve")]
    [InlineData("ed-spki", "ES256", "An Ed25519 key cannot be used with ES256")]
    public void ImportPem_Refusal_SaysWhichProblemItIs(string form, string? alg, string expected)
    {
        JwsAlgorithm? algorithm = alg is null ? null : JwsAlgorithm.Parse(alg);
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportPem(Pem(form), algorithm));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static string Pem(string form)
    {
        using RSA rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.For("RS256").ExportPrivateKeyPem());
        using ECDsa ec = ECDsa.Create();
        ec.ImportFromPem(TestKeys.For("ES256").ExportPrivateKeyPem());
        return form switch
        {
            "rsa-pkcs1-private" => rsa.ExportRSAPrivateKeyPem(),
            "rsa-pkcs1-public" => rsa.ExportRSAPublicKeyPem(),
            "rsa-pkcs8" => rsa.ExportPkcs8PrivateKeyPem(),
            "rsa-spki" => rsa.ExportSubjectPublicKeyInfoPem(),
            "ec-sec1" => ec.ExportECPrivateKeyPem(),
            // What `openssl ecparam -genkey` writes: the curve's parameters block, then the key.
            "ec-sec1-after-ec-parameters" => "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + ec.ExportECPrivateKeyPem(),
            "ec-pkcs8" => ec.ExportPkcs8PrivateKeyPem(),
            "ec-spki" => ec.ExportSubjectPublicKeyInfoPem(),
            "ed-spki" => TestKeys.For("EdDSA").ExportPublicKeyPem(),
            "no-block" => "not a key",
            "encrypted" => ec.ExportEncryptedPkcs8PrivateKeyPem(
                "password", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1)),
            "certificate" => PemEncoding.WriteString("CERTIFICATE", [0x30, 0x00]),
            "spki-not-der" => PemEncoding.WriteString("PUBLIC KEY", [1, 2, 3]),
            "pkcs1-not-der" => PemEncoding.WriteString("RSA PRIVATE KEY", [1, 2, 3]),
            "brainpool" => Brainpool(),
            _ => PemEncoding.WriteString("PUBLIC KEY", Spki(form["oid:".Length..])),
        };
    }

    private static string Brainpool()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        return key.ExportPkcs8PrivateKeyPem();
    }

    // SubjectPublicKeyInfo with the given algorithm OID and a 32-byte zero key.
    private static byte[] Spki(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
            }

            writer.WriteBitString(new byte[32]);
        }

        return writer.Encode();
    }
}
