// Reads keys from PEM (RFC 7468): PKCS#8 "PRIVATE KEY" (RFC 5958), SPKI "PUBLIC KEY"
// (RFC 5280 §4.1.2.7), and for RSA/EC also PKCS#1 and SEC 1 forms. Encrypted keys, Ed448, X25519
// and RSA-PSS-restricted keys are refused with a message that says so.
using System.Formats.Asn1;
using System.Security.Cryptography;
using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Jose;

internal static class PemKeyReader
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string RsaPssOid = "1.2.840.113549.1.1.10";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string Ed25519Oid = "1.3.101.112";

    public static JwsKey Read(string pem, JwsAlgorithm? algorithm, string? keyId)
    {
        ArgumentNullException.ThrowIfNull(pem);
        pem = SkipParameters(pem);
        if (!PemEncoding.TryFind(pem, out PemFields fields))
        {
            throw new KeyException("No PEM key block found; expected a PKCS#8 private key or an SPKI public key");
        }

        string label = pem[fields.Label];
        ReadOnlySpan<char> body = pem.AsSpan()[fields.Base64Data];
        byte[] der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(body, der, out int n) || n != der.Length)
        {
            throw new KeyException("The PEM body is not valid base64");
        }

        try
        {
            return label switch
            {
                "PRIVATE KEY" => FromPkix(der, isPrivate: true, algorithm, keyId),
                "PUBLIC KEY" => FromPkix(der, isPrivate: false, algorithm, keyId),
                "RSA PRIVATE KEY" => Rsa(r => r.ImportRSAPrivateKey(der, out _), true, algorithm, keyId),
                "RSA PUBLIC KEY" => Rsa(r => r.ImportRSAPublicKey(der, out _), false, algorithm, keyId),
                "EC PRIVATE KEY" => Ec(e => e.ImportECPrivateKey(der, out _), true, algorithm, keyId),
                "ENCRYPTED PRIVATE KEY" => throw new KeyException("Encrypted private keys are not supported; store the key unencrypted with mode 0600 or use an HSM"),
                _ => throw new KeyException($"Unsupported PEM label '{label}'; expected PRIVATE KEY or PUBLIC KEY"),
            };
        }
        catch (CryptographicException ex)
        {
            throw new KeyException("The key could not be read: " + ex.Message, ex);
        }
        catch (AsnContentException ex)
        {
            throw new KeyException("The key is not valid DER", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    // `openssl ecparam -genkey` writes an "EC PARAMETERS" block before the key: skip it.
    private static string SkipParameters(string pem)
    {
        while (PemEncoding.TryFind(pem, out PemFields fields) && pem[fields.Label] == "EC PARAMETERS")
        {
            pem = pem[fields.Location.End..];
        }

        return pem;
    }

    private static JwsKey FromPkix(byte[] der, bool isPrivate, JwsAlgorithm? algorithm, string? keyId)
    {
        string oid = AlgorithmOid(der, isPrivate);
        return oid switch
        {
            RsaOid when isPrivate => Rsa(r => r.ImportPkcs8PrivateKey(der, out _), true, algorithm, keyId),
            RsaOid => Rsa(r => r.ImportSubjectPublicKeyInfo(der, out _), false, algorithm, keyId),
            EcOid when isPrivate => Ec(e => e.ImportPkcs8PrivateKey(der, out _), true, algorithm, keyId),
            EcOid => Ec(e => e.ImportSubjectPublicKeyInfo(der, out _), false, algorithm, keyId),
            Ed25519Oid => Ed(der, isPrivate, algorithm, keyId),
            RsaPssOid => throw new KeyException("RSA-PSS-restricted keys (id-RSASSA-PSS) are not supported; use a plain rsaEncryption key with --alg PS256"),
            "1.3.101.113" => throw new KeyException("Ed448 keys are not supported; use Ed25519"),
            "1.3.101.110" or "1.3.101.111" => throw new KeyException("X25519/X448 keys are for key agreement, not signatures"),
            _ => throw new KeyException($"Unsupported key algorithm (OID {oid})"),
        };
    }

    private static string AlgorithmOid(byte[] der, bool isPrivate)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader outer = reader.ReadSequence();
        if (isPrivate)
        {
            _ = outer.ReadInteger();
        }

        AsnReader algId = outer.ReadSequence();
        return algId.ReadObjectIdentifier();
    }

    private static RsaKey Rsa(Action<RSA> import, bool isPrivate, JwsAlgorithm? algorithm, string? keyId)
    {
        JwsAlgorithm alg = algorithm ?? JwsAlgorithm.RS256;
        if (alg.Family is not (AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss))
        {
            throw new KeyException($"An RSA key cannot be used with {alg.Name}");
        }

        var rsa = RSA.Create();
        try
        {
            import(rsa);
            return new RsaKey(alg, rsa, isPrivate, keyId);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static EcKey Ec(Action<ECDsa> import, bool isPrivate, JwsAlgorithm? algorithm, string? keyId)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            import(ecdsa);
            string? curve = EcKey.CurveNameOf(ecdsa.ExportParameters(false).Curve);
            JwsAlgorithm alg = algorithm ?? EcKey.AlgorithmFor(curve)
                ?? throw new KeyException("EC key is on an unsupported curve; use P-256, P-384 or P-521");
            if (alg.Family != AlgorithmFamily.Ecdsa)
            {
                throw new KeyException($"An EC key cannot be used with {alg.Name}");
            }

            return new EcKey(alg, ecdsa, isPrivate, keyId);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    private static EdKey Ed(byte[] der, bool isPrivate, JwsAlgorithm? algorithm, string? keyId)
    {
        if (algorithm is not null && algorithm != JwsAlgorithm.EdDSA)
        {
            throw new KeyException($"An Ed25519 key cannot be used with {algorithm.Name}");
        }

        return EdKey.FromPkix(der, isPrivate, keyId);
    }
}
