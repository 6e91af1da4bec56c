// Turns a public key object's attributes into a public-only Tessera key (SPKI PEM through
// JwsKey.ImportPem), so the JWKS and the kid come from the same code as file keys.
using System.Formats.Asn1;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Tessera.Algorithms;

namespace Tessera.Keys.Pkcs11;

internal static class PublicKeyReader
{
    public static string KeyType(ISession session, IObjectHandle key)
    {
        ulong type = session.GetAttributeValue(key, [CKA.CKA_KEY_TYPE])[0].GetValueAsUlong();
        return type switch
        {
            (ulong)CKK.CKK_RSA => "RSA",
            (ulong)CKK.CKK_EC => "EC",
            Curves.CkkEcEdwards => "OKP",
            _ => throw new HsmException($"The token holds a key of type 0x{type:x} that Tessera does not use"),
        };
    }

    public static JwsKey Read(ISession session, IObjectHandle publicKey, JwsAlgorithm algorithm)
    {
        string keyType = KeyType(session, publicKey);
        string expected = algorithm.Family switch
        {
            AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss => "RSA",
            AlgorithmFamily.Ecdsa => "EC",
            AlgorithmFamily.EdDsa => "OKP",
            _ => throw new HsmException($"{algorithm.Name} keys are not kept in an HSM"),
        };
        if (keyType != expected)
        {
            throw new HsmException($"The token's key is {keyType}, not a {algorithm.Name} key");
        }

        string pem = keyType switch
        {
            "RSA" => RsaPem(session, publicKey),
            "EC" => EcPem(session, publicKey, algorithm),
            _ => EdPem(session, publicKey),
        };
        return JwsKey.ImportPem(pem, algorithm);
    }

    private static string RsaPem(ISession session, IObjectHandle key)
    {
        List<IObjectAttribute> attributes = session.GetAttributeValue(key, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
        using RSA rsa = RSA.Create(new RSAParameters
        {
            Modulus = attributes[0].GetValueAsByteArray(),
            Exponent = attributes[1].GetValueAsByteArray(),
        });
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    private static string EcPem(ISession session, IObjectHandle key, JwsAlgorithm algorithm)
    {
        List<IObjectAttribute> attributes = session.GetAttributeValue(key, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
        if (algorithm != JwsAlgorithm.ES256 || !attributes[0].GetValueAsByteArray().AsSpan().SequenceEqual(Curves.P256Params))
        {
            throw new HsmException($"The token's EC key is not on the curve {algorithm.Name} needs (only ES256 on P-256 is supported)");
        }

        byte[] point = Point(attributes[1].GetValueAsByteArray(), 65);
        if (point[0] != 0x04)
        {
            throw new HsmException("The token's EC point is not an uncompressed point");
        }

        using ECDsa ec = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..65] },
        });
        return ec.ExportSubjectPublicKeyInfoPem();
    }

    private static string EdPem(ISession session, IObjectHandle key)
    {
        byte[] point = Point(session.GetAttributeValue(key, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray(), 32);
        byte[] spki = [.. Curves.Ed25519SpkiPrefix, .. point];
        return PemEncoding.WriteString("PUBLIC KEY", spki);
    }

    // CKA_EC_POINT is a DER OCTET STRING holding the point; some tokens give the bare point.
    private static byte[] Point(byte[] value, int length)
    {
        if (value.Length == length)
        {
            return value;
        }

        try
        {
            byte[] inner = new AsnReader(value, AsnEncodingRules.DER).ReadOctetString();
            if (inner.Length == length)
            {
                return inner;
            }
        }
        catch (AsnContentException)
        {
        }

        throw new HsmException($"The token's public point is {value.Length} bytes, not a {length}-byte point");
    }
}
