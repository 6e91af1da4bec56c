// Every signature is made by the token (C_Sign); the private key never enters the process.
// ES256: the token's CKM_ECDSA signs a SHA-256 hash made here and returns raw R||S, which is
// already the JWS form (RFC 7518 §3.4).
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Tessera.Algorithms;
using Tessera.Issuance;

namespace Tessera.Keys.Pkcs11;

internal sealed class Pkcs11Signer : IJwsSigner
{
    private readonly Pkcs11Backend _backend;
    private readonly IObjectHandle _privateKey;

    public Pkcs11Signer(Pkcs11Backend backend, IObjectHandle privateKey, JwsAlgorithm algorithm, string keyId, int maxSignatureSize)
    {
        _backend = backend;
        _privateKey = privateKey;
        Algorithm = algorithm;
        KeyId = keyId;
        MaxSignatureSize = maxSignatureSize;
    }

    public JwsAlgorithm Algorithm { get; }

    public string KeyId { get; }

    public int MaxSignatureSize { get; }

    public int Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        byte[] input = Algorithm == JwsAlgorithm.ES256 ? SHA256.HashData(data) : data.ToArray();
        byte[] signed;
        try
        {
            // Signing needs no write access; read-only sessions are the ones tokens have most of.
            signed = _backend.WithSession(
                session =>
                {
                    using IMechanism mechanism = Mechanism(session.Factories);
                    return session.Sign(mechanism, _privateKey, input);
                },
                readOnly: true);
        }
        catch (Pkcs11Exception e)
        {
            throw new HsmException($"The token '{_backend.Token}' could not sign with key {KeyId} ({e.RV})", e);
        }

        if (signed.Length > MaxSignatureSize || signed.Length > signature.Length)
        {
            throw new HsmException($"The token returned a {signed.Length}-byte signature; at most {MaxSignatureSize} was expected");
        }

        signed.CopyTo(signature);
        return signed.Length;
    }

    private IMechanism Mechanism(Pkcs11InteropFactories factories)
    {
        if (Algorithm == JwsAlgorithm.EdDSA)
        {
            return factories.MechanismFactory.Create(Curves.CkmEddsa);
        }

        if (Algorithm == JwsAlgorithm.ES256)
        {
            return factories.MechanismFactory.Create(CKM.CKM_ECDSA);
        }

        if (Algorithm == JwsAlgorithm.RS256)
        {
            return factories.MechanismFactory.Create(CKM.CKM_SHA256_RSA_PKCS);
        }

        // PS256: MGF1 with SHA-256 and a 32-byte salt (RFC 7518 §3.5).
        var pss = factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams(
            (ulong)CKM.CKM_SHA256, (ulong)CKG.CKG_MGF1_SHA256, 32);
        return factories.MechanismFactory.Create(CKM.CKM_SHA256_RSA_PKCS_PSS, pss);
    }
}
