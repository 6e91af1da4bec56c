// SHA-1 appears only to build attack inputs (wrong-hash encodings), never to protect anything.
#pragma warning disable CA5350
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Algorithms;
using Tessera.Jose;

namespace Tessera.Tests.Attacks;

/// <summary>
/// Public curve constants and hand-built signature encodings, so an attack signature can be made
/// with the real private key but one chosen defect (RFC 8017 §8–§9, SEC 1, RFC 8032).
/// </summary>
internal static class AttackCrypto
{
    // Curve parameters read from the platform's named curves, so no constant is typed by hand.
    public static readonly BigInteger P256Order = Explicit(ECCurve.NamedCurves.nistP256).Order;
    public static readonly BigInteger P256Prime = Explicit(ECCurve.NamedCurves.nistP256).Prime;
    public static readonly BigInteger P256B = Explicit(ECCurve.NamedCurves.nistP256).B;
    public static readonly BigInteger P384Order = Explicit(ECCurve.NamedCurves.nistP384).Order;
    public static readonly BigInteger P521Order = Explicit(ECCurve.NamedCurves.nistP521).Order;

    /// <summary>The Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493.</summary>
    public static readonly BigInteger Ed25519L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    /// <summary>The Ed25519 field prime p = 2^255 − 19.</summary>
    public static readonly BigInteger Ed25519P = BigInteger.Pow(2, 255) - 19;

    /// <summary>Encodings of the Ed25519 points of small order, each with both sign bits (little-endian y).</summary>
    public static readonly string[] Ed25519SmallOrder =
    [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    ];

    private static (BigInteger Order, BigInteger Prime, BigInteger B) Explicit(ECCurve named)
    {
        using ECDsa ecdsa = ECDsa.Create(named);
        ECCurve curve = ecdsa.ExportExplicitParameters(false).Curve;
        return (Os2ip(curve.Order), Os2ip(curve.Prime), Os2ip(curve.B));
    }

    public static BigInteger Hex(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    public static BigInteger Os2ip(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    /// <summary>Big-endian, left-padded to <paramref name="length"/> bytes.</summary>
    public static byte[] I2osp(BigInteger value, int length)
    {
        byte[] raw = value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (raw.Length > length)
        {
            throw new ArgumentException($"value needs {raw.Length} bytes, more than {length}");
        }

        byte[] result = new byte[length];
        raw.CopyTo(result, length - raw.Length);
        return result;
    }

    public static BigInteger LittleEndian(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: false);

    public static byte[] ToLittleEndian(BigInteger value, int length)
    {
        byte[] raw = value.ToByteArray(isUnsigned: true, isBigEndian: false);
        byte[] result = new byte[length];
        raw.AsSpan(0, Math.Min(raw.Length, length)).CopyTo(result);
        if (raw.Length > length && raw.AsSpan(length).ContainsAnyExcept((byte)0))
        {
            throw new ArgumentException("value does not fit");
        }

        return result;
    }

    public static BigInteger OrderOf(JwsAlgorithm ecdsa) => ecdsa.Name switch
    {
        "ES256" => P256Order,
        "ES384" => P384Order,
        _ => P521Order,
    };

    /// <summary>The same ECDSA signature with s replaced by n − s (RFC 7518 has no low-S rule).</summary>
    public static byte[] HighS(JwsAlgorithm ecdsa, ReadOnlySpan<byte> signature)
    {
        int half = signature.Length / 2;
        BigInteger s = Os2ip(signature[half..]);
        byte[] result = signature.ToArray();
        I2osp(OrderOf(ecdsa) - s, half).CopyTo(result, half);
        return result;
    }

    public static ECDsa EcdsaOf(JwsKey key)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.ExportPrivateKeyPem());
        return ecdsa;
    }

    public static RSA RsaOf(JwsKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.ExportPrivateKeyPem());
        return rsa;
    }

    /// <summary>The RSA private operation on a hand-built encoded message: s = EM^d mod n.</summary>
    public static byte[] RsaRaw(RSAParameters p, BigInteger message) =>
        I2osp(BigInteger.ModPow(message, Os2ip(p.D), Os2ip(p.Modulus)), p.Modulus!.Length);

    /// <summary>DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1).</summary>
    public static readonly byte[] Sha256DigestInfoPrefix = Convert.FromHexString("3031300d060960864801650304020105000420");

    /// <summary>EMSA-PKCS1-v1_5: 00 01 FF…FF 00 T, with T given whole.</summary>
    public static byte[] Pkcs1Block(int k, ReadOnlySpan<byte> t, byte blockType = 0x01, byte fill = 0xFF)
    {
        byte[] em = new byte[k];
        em[1] = blockType;
        int psEnd = k - t.Length - 1;
        em.AsSpan(2, psEnd - 2).Fill(fill);
        em[psEnd] = 0x00;
        t.CopyTo(em.AsSpan(psEnd + 1));
        return em;
    }

    /// <summary>EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with every parameter open to change.</summary>
    public static byte[] PssEncode(
        ReadOnlySpan<byte> message,
        int modulusBits,
        HashAlgorithmName hash,
        int saltLength,
        HashAlgorithmName mgfHash,
        byte trailer = 0xBC)
    {
        int emBits = modulusBits - 1;
        int emLen = (emBits + 7) / 8;
        byte[] mHash = Digest(hash, message);
        int hLen = mHash.Length;
        byte[] salt = RandomNumberGenerator.GetBytes(saltLength);
        byte[] mPrime = [.. new byte[8], .. mHash, .. salt];
        byte[] h = Digest(hash, mPrime);
        byte[] db = new byte[emLen - hLen - 1];
        db[db.Length - saltLength - 1] = 0x01;
        salt.CopyTo(db, db.Length - saltLength);
        byte[] mask = Mgf1(mgfHash, h, db.Length);
        for (int i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= (byte)(0xFF >> (8 * emLen - emBits));
        return [.. db, .. h, trailer];
    }

    public static byte[] Digest(HashAlgorithmName hash, ReadOnlySpan<byte> data) => hash.Name switch
    {
        "SHA1" => SHA1.HashData(data),
        "SHA256" => SHA256.HashData(data),
        "SHA384" => SHA384.HashData(data),
        _ => SHA512.HashData(data),
    };

    private static byte[] Mgf1(HashAlgorithmName hash, byte[] seed, int length)
    {
        var output = new List<byte>(length + 64);
        for (uint counter = 0; output.Count < length; counter++)
        {
            byte[] c = [(byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter];
            output.AddRange(Digest(hash, [.. seed, .. c]));
        }

        return [.. output.Take(length)];
    }

    /// <summary>A P-256 point with a small x: (x, y) on the curve, found by trying x = 1, 2, 3…</summary>
    public static (BigInteger X, BigInteger Y) SmallXPointP256()
    {
        BigInteger p = P256Prime;
        for (BigInteger x = 1; ; x++)
        {
            BigInteger rhs = Mod(BigInteger.ModPow(x, 3, p) - 3 * x + P256B, p);
            BigInteger y = BigInteger.ModPow(rhs, (p + 1) / 4, p); // p ≡ 3 (mod 4)
            if (BigInteger.ModPow(y, 2, p) == rhs)
            {
                return (x, y);
            }
        }
    }

    public static BigInteger Mod(BigInteger a, BigInteger m)
    {
        BigInteger r = a % m;
        return r.Sign < 0 ? r + m : r;
    }

    /// <summary>A self-signed certificate over the key (for x5c / x5t headers and key-confusion secrets).</summary>
    public static X509Certificate2 SelfSigned(JwsKey key, string subject)
    {
        DateTimeOffset from = DateTimeOffset.FromUnixTimeSeconds(Kit.Now - 86_400);
        DateTimeOffset to = DateTimeOffset.FromUnixTimeSeconds(Kit.Now + 86_400 * 365);
        if (key.KeyType == "RSA")
        {
            using RSA rsa = RsaOf(key);
            return new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(from, to);
        }

        using ECDsa ecdsa = EcdsaOf(key);
        return new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256).CreateSelfSigned(from, to);
    }

    /// <summary>The raw Ed25519 public key (32 bytes) from the JWK.</summary>
    public static byte[] Ed25519Public(JwsKey key) =>
        Base64Url.Decode(Kit.JwkOf(key)["x"]!.GetValue<string>())!;
}
