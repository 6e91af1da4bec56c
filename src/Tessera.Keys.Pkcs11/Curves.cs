// PKCS#11 values the wrapper names differently or not at all (PKCS#11 v3.0 §2.3.5 and §6.3).
namespace Tessera.Keys.Pkcs11;

internal static class Curves
{
    public const ulong CkmEcEdwardsKeyPairGen = 0x1055;
    public const ulong CkmEddsa = 0x1057;
    public const ulong CkkEcEdwards = 0x40;

    // DER of the OID 1.3.101.112 (id-Ed25519, RFC 8410).
    public static readonly byte[] Ed25519Params = [0x06, 0x03, 0x2B, 0x65, 0x70];

    // DER of PrintableString "edwards25519", the older way tokens name the curve.
    public static readonly byte[] Ed25519NameParams =
        [0x13, 0x0C, .. "edwards25519"u8];

    // DER of the OID 1.2.840.10045.3.1.7 (P-256, secp256r1).
    public static readonly byte[] P256Params = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    // SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410 §4), followed by the 32-byte key.
    public static readonly byte[] Ed25519SpkiPrefix =
        [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00];
}
