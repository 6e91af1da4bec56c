using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Tests.Mutation;

/// <summary>
/// The bounds in Algorithms/ at their edges: algorithm names, RSA sizes and exponents, the ROCA
/// fingerprint on a full-size modulus, EC curve names, and Ed25519 encodings just inside p.
/// </summary>
public sealed class AlgorithmAndKeyBoundsTests
{
    [Fact]
    public void AlgorithmNames_NullIsNoAlgorithm_AndAnUnknownNameListsTheAcceptedOnes()
    {
        Assert.False(JwsAlgorithm.TryParse((string?)null, out _));
        ArgumentException ex = Assert.Throws<ArgumentException>(() => JwsAlgorithm.Parse("none"));
        Assert.Contains("expected one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA (case-sensitive)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => JwsKey.Generate(null!));
    }

    [Fact]
    public void ImportJwk_SaysWhetherTheJsonOrTheKeyIsTheProblem()
    {
        Assert.Equal("The JWK is not valid JSON (or has duplicate members)", Assert.Throws<KeyException>(() => JwsKey.ImportJwk("{")).Message);
        KeyException skipped = Assert.Throws<KeyException>(() => JwsKey.ImportJwk("""{"kty":"OKP","crv":"X25519","x":"AAAA"}"""));
        Assert.Equal("The JWK is not a signing key Tessera supports", skipped.Message);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(2056)]
    public void RsaGenerate_AcceptsMultiplesOf8FromTheMinimum(int bits)
    {
        using JwsKey key = JwsKey.Generate(JwsAlgorithm.RS256, bits);
        Assert.Equal(bits, key.KeySizeBits);
        Assert.True(key.HasPrivateKey);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    [InlineData(2047)]
    [InlineData(2050)]
    [InlineData(8200)]
    public void RsaGenerate_RefusesSizesOutOfRangeOrNotAMultipleOf8(int bits)
    {
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.Generate(JwsAlgorithm.RS256, bits));
        Assert.Equal($"RSA key size {bits} is out of range; use a multiple of 8 from 2048 to 8192 (4096 recommended)", ex.Message);
    }

    [Fact]
    public void RsaKey_ReadsTheExponentAsUnsignedBigEndian_UpTo32Bytes()
    {
        byte[] n = Modulus();
        Assert.Equal(2048, JwsKey.ImportJwk(Jwk(n, [0x80, 0x00, 0x01])).KeySizeBits);
        Assert.Equal(2048, JwsKey.ImportJwk(Jwk(n, [0x01, .. new byte[30], 0x01])).KeySizeBits);
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk(Jwk(n, [0x01, .. new byte[31], 0x01])));
        Assert.Equal("RSA public exponent must be odd and between 65537 and 2^256", ex.Message);
    }

    [Fact]
    public void RsaKey_OverTheMaximum_SaysItsSize()
    {
        byte[] n = new byte[1025];
        new Random(1025).NextBytes(n);
        n[0] |= 0x80;
        n[^1] |= 1;
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk(Jwk(n, [0x01, 0x00, 0x01])));
        Assert.Equal("RSA key is 8200 bits; the maximum is 8192 bits", ex.Message);
    }

    [Fact]
    public void RsaKey_Refuses_AFullSizeModulusWithTheRocaFingerprint()
    {
        // n ≡ 1 = 65537^0 modulo every prime of the check, top bit set (so read signed it would be negative).
        BigInteger m = 1;
        foreach (int p in new[] { 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173 })
        {
            m *= p;
        }

        BigInteger k = (BigInteger.One << 2047) / m + 2;
        k -= k % 2;
        byte[] n = (k * m + 1).ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Equal(256, n.Length);
        Assert.True(n[0] >= 0x80);
        KeyException ex = Assert.Throws<KeyException>(() => JwsKey.ImportJwk(Jwk(n, [0x01, 0x00, 0x01])));
        Assert.Contains("ROCA", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.2.840.10045.3.1.7", "other", "P-256")]
    [InlineData("1.3.132.0.34", "other", "P-384")]
    [InlineData("1.3.132.0.35", "other", "P-521")]
    [InlineData(null, "nistP256", "P-256")]
    [InlineData(null, "ECDSA_P256", "P-256")]
    [InlineData(null, "nistP384", "P-384")]
    [InlineData(null, "ECDSA_P384", "P-384")]
    [InlineData(null, "nistP521", "P-521")]
    [InlineData(null, "ECDSA_P521", "P-521")]
    [InlineData(null, "brainpoolP256r1", null)]
    [InlineData("1.3.36.3.3.2.8.1.1.7", null, null)]
    public void CurveNameOf_MatchesTheOid_ElseTheFriendlyName(string? oid, string? friendlyName, string? expected) =>
        Assert.Equal(expected, EcKey.CurveNameOf(ECCurve.CreateFromOid(new Oid(oid, friendlyName))));

    [Fact]
    public void EcKey_OnTheWrongCurve_NamesBothCurves()
    {
        using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Equal("ES256 needs a P-256 key; this key is on P-384", Assert.Throws<KeyException>(() => new EcKey(JwsAlgorithm.ES256, p384, false, null)).Message);
        using ECDsa brainpool = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        Assert.Equal("ES256 needs a P-256 key; this key is on an unsupported curve", Assert.Throws<KeyException>(() => new EcKey(JwsAlgorithm.ES256, brainpool, false, null)).Message);
    }

    [Fact]
    public void Ed25519_AcceptsEncodingsJustBelowP_AndRefusesP()
    {
        byte[] belowP = [0xED, .. Enumerable.Repeat((byte)0xFF, 30), 0x7E];
        byte[] middleAllOnes = [0x00, .. Enumerable.Repeat((byte)0xFF, 30), 0x00];
        byte[] p = [0xED, .. Enumerable.Repeat((byte)0xFF, 30), 0x7F];
        Assert.Equal(256, EdKey.FromPublic(belowP, null).KeySizeBits);
        Assert.Equal(256, EdKey.FromPublic(middleAllOnes, null).KeySizeBits);
        Assert.Equal("Ed25519 public key is not canonically encoded (y ≥ p)", Assert.Throws<KeyException>(() => EdKey.FromPublic(p, null)).Message);
    }

    [Fact]
    public void Ed25519_RefusesWrongLengthsAndUnreadableDer_SayingWhich()
    {
        Assert.Equal("Ed25519 public key must be 32 bytes", Assert.Throws<KeyException>(() => EdKey.FromPublic(new byte[31], null)).Message);
        Assert.Equal("Ed25519 private key must be 32 bytes", Assert.Throws<KeyException>(() => EdKey.FromPrivateSeed(new byte[31], null)).Message);

        Assert.Equal("Ed25519 public key (SPKI) could not be read", Assert.Throws<KeyException>(() => EdKey.FromPkix(Ed25519Der(false, 31), false, null)).Message);
        Assert.Equal("Ed25519 private key (PKCS#8) could not be read", Assert.Throws<KeyException>(() => EdKey.FromPkix(Ed25519Der(true, 31), true, null)).Message);
    }

    private static byte[] Modulus()
    {
        byte[] n = new byte[256];
        new Random(2048).NextBytes(n);
        n[0] |= 0x80;
        n[^1] |= 1;
        return n;
    }

    private static string Jwk(byte[] n, byte[] e) =>
        $$"""{"kty":"RSA","alg":"RS256","n":"{{Base64Url.Encode(n)}}","e":"{{Base64Url.Encode(e)}}"}""";

    // DER with the Ed25519 OID (1.3.101.112) around a key of the wrong length.
    private static byte[] Ed25519Der(bool isPrivate, int keyLength)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            if (isPrivate)
            {
                w.WriteInteger(0);
            }

            using (w.PushSequence())
            {
                w.WriteObjectIdentifier("1.3.101.112");
            }

            if (isPrivate)
            {
                w.WriteOctetString(new byte[keyLength]);
            }
            else
            {
                w.WriteBitString(new byte[keyLength]);
            }
        }

        return w.Encode();
    }
}
