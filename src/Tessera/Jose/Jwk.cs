// RFC 7517 §4 (JWK members), RFC 7518 §6 (RSA, EC, oct parameters), RFC 8037 §2 (OKP).
// A key is bound to one algorithm: its "alg", else the only one its type allows (EC by curve,
// OKP Ed25519 → EdDSA), else the caller's fallback. Keys meant for other uses ("use" other than
// "sig", "key_ops" without "verify"/"sign", unknown kty or alg) are skipped (null), never used.
// Inconsistent or weak signing keys throw KeyException: a set that carries them is refused.
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Jose;

internal static class Jwk
{
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 32,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth"];

    /// <summary>Reads a key, or null when it is meant for another use or is unsupported.</summary>
    public static JwsKey? Read(JsonElement jwk, JwsAlgorithm? fallback, bool allowPrivate)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw new KeyException("A JWK must be a JSON object");
        }

        string? kty = OptionalString(jwk, "kty") ?? throw new KeyException("JWK has no \"kty\"");
        string? use = OptionalString(jwk, "use");
        if (use is not null && use != "sig")
        {
            return null;
        }

        if (jwk.TryGetProperty("key_ops", out JsonElement ops) && !HasSigningOp(ops))
        {
            return null;
        }

        string? algName = OptionalString(jwk, "alg");
        JwsAlgorithm? alg = null;
        if (algName is not null && !JwsAlgorithm.TryParse(algName, out alg))
        {
            return null;
        }

        string? kid = OptionalString(jwk, "kid");
        if (kid is { Length: 0 })
        {
            throw new KeyException("JWK \"kid\" is empty");
        }

        bool hasPrivate = PrivateMembers.Any(m => jwk.TryGetProperty(m, out _));
        if (hasPrivate && !allowPrivate)
        {
            throw new KeyException($"JWK {kid ?? "(no kid)"} carries private key members; a public key set must hold public keys only");
        }

        JwsKey? key = kty switch
        {
            "RSA" => ReadRsa(jwk, alg ?? Fallback(fallback, AlgorithmFamily.Rsa, AlgorithmFamily.RsaPss), hasPrivate, kid),
            "EC" => ReadEc(jwk, alg, hasPrivate, kid),
            "OKP" => ReadOkp(jwk, alg, hasPrivate, kid),
            "oct" => ReadOct(jwk, alg ?? Fallback(fallback, AlgorithmFamily.Hmac, AlgorithmFamily.Hmac), kid),
            _ => null,
        };
        return key;
    }

    /// <summary>Writes a JWK: kty, use, alg, kid, then the key's members.</summary>
    public static string Write(JwsKey key, bool includePrivate)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Compact))
        {
            WriteTo(writer, key, includePrivate);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteTo(Utf8JsonWriter writer, JwsKey key, bool includePrivate)
    {
        writer.WriteStartObject();
        writer.WriteString("kty", key.KeyType);
        writer.WriteString("use", "sig");
        writer.WriteString("alg", key.Algorithm.Name);
        writer.WriteString("kid", key.KeyId);
        key.WriteJwkMembers(writer, includePrivate);
        writer.WriteEndObject();
    }

    private static JwsAlgorithm? Fallback(JwsAlgorithm? fallback, AlgorithmFamily a, AlgorithmFamily b) =>
        fallback is not null && (fallback.Family == a || fallback.Family == b) ? fallback : null;

    private static RsaKey? ReadRsa(JsonElement jwk, JwsAlgorithm? alg, bool hasPrivate, string? kid)
    {
        if (alg is null)
        {
            return null;
        }

        if (alg.Family is not (AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss))
        {
            throw new KeyException($"JWK {kid ?? "(no kid)"} has kty RSA but alg {alg.Name}");
        }

        var p = new RSAParameters { Modulus = Bytes(jwk, "n"), Exponent = Bytes(jwk, "e") };
        if (hasPrivate)
        {
            p.D = Bytes(jwk, "d");
            p.P = Bytes(jwk, "p");
            p.Q = Bytes(jwk, "q");
            p.DP = Bytes(jwk, "dp");
            p.DQ = Bytes(jwk, "dq");
            p.InverseQ = Bytes(jwk, "qi");
        }

        // RSA.ImportParameters fails on an empty n or e with an IndexOutOfRangeException, not a
        // CryptographicException (found by fuzzing): an empty RSA member is refused here.
        if (p.Modulus.Length == 0 || p.Exponent.Length == 0 || (hasPrivate && (p.D!.Length == 0 || p.P!.Length == 0 || p.Q!.Length == 0
            || p.DP!.Length == 0 || p.DQ!.Length == 0 || p.InverseQ!.Length == 0)))
        {
            throw new KeyException($"JWK {kid ?? "(no kid)"} has an empty RSA member");
        }

        if (p.Modulus.Length * 8 > RsaKey.MaxBits + 8)
        {
            throw new KeyException($"RSA key is over {RsaKey.MaxBits} bits; the maximum is {RsaKey.MaxBits} bits");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(p);
            return new RsaKey(alg, rsa, hasPrivate, kid);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new KeyException($"JWK {kid ?? "(no kid)"} is not a valid RSA key", ex);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static EcKey? ReadEc(JsonElement jwk, JwsAlgorithm? alg, bool hasPrivate, string? kid)
    {
        string? crv = OptionalString(jwk, "crv") ?? throw new KeyException("EC JWK has no \"crv\"");
        JwsAlgorithm curveAlg = EcKey.AlgorithmFor(crv) ?? throw new KeyException($"EC curve '{crv}' is not supported; use P-256, P-384 or P-521");
        alg ??= curveAlg;
        if (alg != curveAlg)
        {
            throw new KeyException($"JWK {kid ?? "(no kid)"} is on {crv} but names alg {alg.Name}");
        }

        int size = alg.Size;
        var p = new ECParameters
        {
            Curve = EcKey.Curve(alg),
            Q = new ECPoint { X = Bytes(jwk, "x", size), Y = Bytes(jwk, "y", size) },
        };
        if (hasPrivate)
        {
            p.D = Bytes(jwk, "d", size);
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportParameters(p);
            return new EcKey(alg, ecdsa, hasPrivate, kid);
        }
        catch (CryptographicException ex)
        {
            ecdsa.Dispose();
            throw new KeyException($"JWK {kid ?? "(no kid)"} is not a valid point on {crv}", ex);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    private static EdKey? ReadOkp(JsonElement jwk, JwsAlgorithm? alg, bool hasPrivate, string? kid)
    {
        string? crv = OptionalString(jwk, "crv");
        if (crv != "Ed25519")
        {
            return null;
        }

        if (alg is not null && alg != JwsAlgorithm.EdDSA)
        {
            throw new KeyException($"JWK {kid ?? "(no kid)"} is an Ed25519 key but names alg {alg.Name}");
        }

        byte[] x = Bytes(jwk, "x", 32);
        if (!hasPrivate)
        {
            return EdKey.FromPublic(x, kid);
        }

        EdKey key = EdKey.FromPrivateSeed(Bytes(jwk, "d", 32), kid);
        if (!key.PublicBytes.SequenceEqual(x))
        {
            key.Dispose();
            throw new KeyException($"JWK {kid ?? "(no kid)"}: \"x\" does not match the private key");
        }

        return key;
    }

    private static HmacKey? ReadOct(JsonElement jwk, JwsAlgorithm? alg, string? kid)
    {
        if (alg is null)
        {
            return null;
        }

        if (!alg.IsSymmetric)
        {
            throw new KeyException($"JWK {kid ?? "(no kid)"} has kty oct but alg {alg.Name}");
        }

        byte[] k = Bytes(jwk, "k");
        try
        {
            return new HmacKey(alg, k, kid);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
        }
    }

    private static bool HasSigningOp(JsonElement ops)
    {
        if (ops.ValueKind != JsonValueKind.Array)
        {
            throw new KeyException("JWK \"key_ops\" must be an array");
        }

        foreach (JsonElement op in ops.EnumerateArray())
        {
            if (op.ValueKind == JsonValueKind.String && StringOf(op, "key_ops") is "verify" or "sign")
            {
                return true;
            }
        }

        return false;
    }

    private static string? OptionalString(JsonElement jwk, string name)
    {
        if (!jwk.TryGetProperty(name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? StringOf(v, name) : throw new KeyException($"JWK member \"{name}\" must be a string");
    }

    // Every string value of a JWK is read here. An escaped lone surrogate ("\ud800") is valid
    // JSON but no string: GetString and ValueEquals throw InvalidOperationException for it
    // (found by fuzzing, in a value and then in key_ops).
    private static string StringOf(JsonElement v, string name)
    {
        try
        {
            return v.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new KeyException($"JWK member \"{name}\" is not valid Unicode text");
        }
    }

    /// <summary>
    /// Parses a JWK or JWK Set document; throws <see cref="KeyException"/> for anything that is
    /// not strict JSON, including a member name with an escaped lone surrogate, which the
    /// duplicate-name check reports as InvalidOperationException (found by fuzzing).
    /// </summary>
    internal static JsonDocument Parse(string json, string what)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new KeyException($"The {what} is not valid JSON (or has duplicate members)");
        }
    }

    private static byte[] Bytes(JsonElement jwk, string name, int exactLength = -1)
    {
        string value = OptionalString(jwk, name) ?? throw new KeyException($"JWK has no \"{name}\"");
        byte[] bytes = Base64Url.Decode(value) ?? throw new KeyException($"JWK member \"{name}\" is not canonical base64url");

        if (exactLength >= 0 && bytes.Length != exactLength)
        {
            throw new KeyException($"JWK member \"{name}\" must be exactly {exactLength} bytes, not {bytes.Length}");
        }

        return bytes;
    }
}
