// The attribute templates of a generated key pair: the private half is a token object that is
// private, sensitive and non-extractable, usable only to sign (PKCS#11 v3.0 §4.9).
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Net.Pkcs11Interop.HighLevelAPI.Factories;
using Tessera.Algorithms;

namespace Tessera.Keys.Pkcs11;

internal static class KeyTemplates
{
    public static void Check(JwsAlgorithm algorithm, int rsaBits)
    {
        if (algorithm != JwsAlgorithm.EdDSA && algorithm != JwsAlgorithm.ES256 &&
            algorithm != JwsAlgorithm.RS256 && algorithm != JwsAlgorithm.PS256)
        {
            throw new HsmException($"{algorithm.Name} keys are not made in an HSM; use EdDSA, ES256, RS256 or PS256");
        }

        if (algorithm.Family is AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss && (rsaBits is < 2048 or > 8192 || rsaBits % 8 != 0))
        {
            throw new HsmException($"RSA keys are 2048 to 8192 bits, a multiple of 8; {rsaBits} is not");
        }
    }

    public static (IMechanism Mechanism, List<IObjectAttribute> Public, List<IObjectAttribute> Private) For(
        Pkcs11InteropFactories factories, JwsAlgorithm algorithm, int rsaBits, byte[] id)
    {
        IObjectAttributeFactory a = factories.ObjectAttributeFactory;
        var publicTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true),
            a.Create(CKA.CKA_PRIVATE, false),
            a.Create(CKA.CKA_VERIFY, true),
            a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_LABEL, Encoding.ASCII.GetString(id)),
        };
        var privateTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true),
            a.Create(CKA.CKA_PRIVATE, true),
            a.Create(CKA.CKA_SIGN, true),
            a.Create(CKA.CKA_DECRYPT, false),
            a.Create(CKA.CKA_UNWRAP, false),
            a.Create(CKA.CKA_DERIVE, false),
            a.Create(CKA.CKA_SENSITIVE, true),
            a.Create(CKA.CKA_EXTRACTABLE, false),
            a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_LABEL, Encoding.ASCII.GetString(id)),
        };

        IMechanism mechanism;
        if (algorithm == JwsAlgorithm.EdDSA)
        {
            publicTemplate.Add(a.Create(CKA.CKA_EC_PARAMS, Curves.Ed25519Params));
            mechanism = factories.MechanismFactory.Create(Curves.CkmEcEdwardsKeyPairGen);
        }
        else if (algorithm == JwsAlgorithm.ES256)
        {
            publicTemplate.Add(a.Create(CKA.CKA_EC_PARAMS, Curves.P256Params));
            mechanism = factories.MechanismFactory.Create(CKM.CKM_EC_KEY_PAIR_GEN);
        }
        else
        {
            publicTemplate.Add(a.Create(CKA.CKA_MODULUS_BITS, (ulong)rsaBits));
            publicTemplate.Add(a.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
            mechanism = factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_KEY_PAIR_GEN);
        }

        return (mechanism, publicTemplate, privateTemplate);
    }

    // CKA_ID and CKA_LABEL both carry the kid, so tools (pkcs11-tool, softhsm2-util) show it.
    public static List<IObjectAttribute> Name(Pkcs11InteropFactories factories, string kid) =>
    [
        factories.ObjectAttributeFactory.Create(CKA.CKA_ID, Encoding.UTF8.GetBytes(kid)),
        factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, kid),
    ];
}
