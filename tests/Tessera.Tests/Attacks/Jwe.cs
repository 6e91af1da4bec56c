using System.Security.Cryptography;
using System.Text;
using Tessera.Algorithms;
using Tessera.Tests.Support;

namespace Tessera.Tests.Attacks;

/// <summary>Real compact JWEs (RFC 7516) built with the BCL, to show they are never taken for a JWS.</summary>
internal static class Jwe
{
    public static string ToPublicKey(JwsKey rsaKey, string alg, string claims)
    {
        using RSA rsa = AttackCrypto.RsaOf(rsaKey);
        using RSA pub = RSA.Create();
        pub.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
        byte[] cek = RandomNumberGenerator.GetBytes(32);
        byte[] encryptedKey = pub.Encrypt(cek, alg == "RSA-OAEP" ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256);
        return Seal(Tokens.B64($"{{\"alg\":\"{alg}\",\"enc\":\"A256GCM\",\"kid\":{Kit.Q(rsaKey.KeyId)}}}"), encryptedKey, cek, claims);
    }

    public static string Direct(string claims)
    {
        byte[] cek = RandomNumberGenerator.GetBytes(32);
        return Seal(Tokens.B64("{\"alg\":\"dir\",\"enc\":\"A256GCM\"}"), [], cek, claims);
    }

    private static string Seal(string protectedHeader, byte[] encryptedKey, byte[] cek, string claims)
    {
        byte[] iv = RandomNumberGenerator.GetBytes(12);
        byte[] plaintext = Encoding.UTF8.GetBytes(claims);
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[16];
        using (var gcm = new AesGcm(cek, 16))
        {
            gcm.Encrypt(iv, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(protectedHeader));
        }

        return string.Join(".", protectedHeader, Tokens.B64(encryptedKey), Tokens.B64(iv), Tokens.B64(ciphertext), Tokens.B64(tag));
    }
}
