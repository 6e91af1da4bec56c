// Target "jwk": reading JWKs and JWK Sets from untrusted text (RFC 7517; src/Tessera/Jose/Jwk.cs).
// Property: KeySet.FromJwks and JwsKey.ImportJwk return a key (set) or throw KeyException, the
// exception they document for bad key material; any other exception is a finding. A key that was
// read must also be usable as the library's own output: its kid and thumbprint compute, and its
// exported JWK (and PEM, for asymmetric keys) reads back as a key with the same thumbprint.
using System.Text;
using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Fuzz;

internal static class JwkTarget
{
    // Keys without "alg" whose type allows several algorithms (RSA, oct) are bound to the fallback.
    private static readonly JwsAlgorithm?[] Fallbacks = [null, JwsAlgorithm.PS384, JwsAlgorithm.HS256];

    public static void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        foreach (JwsAlgorithm? fallback in Fallbacks)
        {
            ReadSet(text, fallback);
            ReadKey(text, fallback);
        }
    }

    private static void ReadSet(string text, JwsAlgorithm? fallback)
    {
        KeySet set;
        try
        {
            set = KeySet.FromJwks(text, fallback);
        }
        catch (KeyException)
        {
            return;
        }

        try
        {
            foreach (JwsKey key in set.Keys)
            {
                if (key.HasPrivateKey && !key.Algorithm.IsSymmetric)
                {
                    throw new InvalidOperationException($"Finding: a JWK Set gave public key {key.KeyId} a private part");
                }

                RoundTrip(key);
            }

            // The set the library writes must read back (HMAC secrets are left out of it).
            KeySet again = KeySet.FromJwks(set.ToJwks());
            foreach (JwsKey key in again.Keys)
            {
                if (!set.TryFind(key.KeyId, out JwsKey original) || original.Thumbprint != key.Thumbprint)
                {
                    throw new InvalidOperationException($"Finding: ToJwks round trip changed key {key.KeyId}");
                }

                key.Dispose();
            }
        }
        finally
        {
            foreach (JwsKey key in set.Keys)
            {
                key.Dispose();
            }
        }
    }

    private static void ReadKey(string text, JwsAlgorithm? fallback)
    {
        JwsKey key;
        try
        {
            key = JwsKey.ImportJwk(text, fallback);
        }
        catch (KeyException)
        {
            return;
        }

        using (key)
        {
            RoundTrip(key);
            // HMAC keys are all secret: their public JWK (RoundTrip) already carries "k".
            if (key.HasPrivateKey && !key.Algorithm.IsSymmetric)
            {
                using JwsKey again = JwsKey.ImportJwk(key.ExportPrivateJwk());
                Same(key, again, "private JWK");
                using JwsKey fromPem = JwsKey.ImportPem(key.ExportPrivateKeyPem(), key.Algorithm, key.KeyId);
                Same(key, fromPem, "PKCS#8 PEM");
            }
        }
    }

    private static void RoundTrip(JwsKey key)
    {
        _ = key.KeyId;
        _ = key.KeySizeBits;
        using JwsKey again = JwsKey.ImportJwk(key.ExportJwk());
        Same(key, again, "public JWK");
        if (!key.Algorithm.IsSymmetric)
        {
            using JwsKey fromPem = JwsKey.ImportPem(key.ExportPublicKeyPem(), key.Algorithm, key.KeyId);
            Same(key, fromPem, "SPKI PEM");
        }
    }

    private static void Same(JwsKey key, JwsKey again, string form)
    {
        if (again.Thumbprint != key.Thumbprint || again.KeyId != key.KeyId || again.Algorithm != key.Algorithm)
        {
            throw new InvalidOperationException($"Finding: the {form} of key {key.KeyId} ({key.Algorithm}) reads back as {again.KeyId} ({again.Algorithm})");
        }
    }
}
