// RFC 8037 §3.1: EdDSA with Ed25519 (RFC 8032 §5.1) through libsodium (NSec). libsodium's
// verify rejects non-canonical S (S ≥ L, RFC 8032 §5.1.7) and small-order R. Public keys of small
// order or with a non-canonical y (≥ p) are refused when the key is loaded (ATTACKS.md C15/C16).
using System.Security.Cryptography;
using System.Text.Json;
using NSec.Cryptography;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Algorithms;

internal sealed class EdKey : JwsKey
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    // The encodings of the eight points of order dividing 8, with the sign bit masked out
    // (RFC 7748 §7 and the Ed25519 literature; these are public constants).
    private static readonly byte[][] SmallOrder =
    [
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
        Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    ];

    private readonly PublicKey _public;
    private readonly Key? _private;

    private EdKey(PublicKey publicKey, Key? privateKey, string? keyId)
        : base(JwsAlgorithm.EdDSA, keyId)
    {
        _public = publicKey;
        _private = privateKey;
    }

    public override bool HasPrivateKey => _private is not null;

    public override string KeyType => "OKP";

    public override int KeySizeBits => 256;

    internal override int SignatureSize => 64;

    internal ReadOnlySpan<byte> PublicBytes => _public.Export(KeyBlobFormat.RawPublicKey);

    public static EdKey New()
    {
        var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new EdKey(key.PublicKey, key, null);
    }

    public static EdKey FromPublic(ReadOnlySpan<byte> raw, string? keyId)
    {
        CheckPublic(raw);
        return PublicKey.TryImport(Ed25519, raw, KeyBlobFormat.RawPublicKey, out PublicKey? pk)
            ? new EdKey(pk!, null, keyId)
            : throw new KeyException("Ed25519 public key is not a valid 32-byte point");
    }

    public static EdKey FromPrivateSeed(ReadOnlySpan<byte> seed, string? keyId)
    {
        if (seed.Length != 32)
        {
            throw new KeyException("Ed25519 private key must be 32 bytes");
        }

        var p = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        Key key = Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey, p);
        CheckPublic(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        return new EdKey(key.PublicKey, key, keyId);
    }

    public static EdKey FromPkix(ReadOnlySpan<byte> der, bool isPrivate, string? keyId)
    {
        if (!isPrivate)
        {
            if (!PublicKey.TryImport(Ed25519, der, KeyBlobFormat.PkixPublicKey, out PublicKey? pk))
            {
                throw new KeyException("Ed25519 public key (SPKI) could not be read");
            }

            CheckPublic(pk!.Export(KeyBlobFormat.RawPublicKey));
            return new EdKey(pk, null, keyId);
        }

        var p = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (!Key.TryImport(Ed25519, der, KeyBlobFormat.PkixPrivateKey, out Key? key, p))
        {
            throw new KeyException("Ed25519 private key (PKCS#8) could not be read");
        }

        CheckPublic(key!.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        return new EdKey(key.PublicKey, key, keyId);
    }

    public override string ExportPrivateKeyPem() =>
        _private is null
            ? throw NoPrivateKey()
            : System.Text.Encoding.ASCII.GetString(_private.Export(KeyBlobFormat.PkixPrivateKeyText)).ReplaceLineEndings("\n");

    public override string ExportPublicKeyPem() =>
        System.Text.Encoding.ASCII.GetString(_public.Export(KeyBlobFormat.PkixPublicKeyText)).ReplaceLineEndings("\n");

    internal override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && Ed25519.Verify(_public, data, signature);

    internal override int Sign(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (_private is null)
        {
            throw NoPrivateKey();
        }

        Ed25519.Sign(_private, data, destination[..64]);
        return 64;
    }

    internal override void WriteThumbprintMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv", "Ed25519");
        writer.WriteString("kty", "OKP");
        writer.WriteString("x", Base64Url.Encode(PublicBytes));
    }

    internal override void WriteJwkMembers(Utf8JsonWriter writer, bool includePrivate)
    {
        writer.WriteString("crv", "Ed25519");
        writer.WriteString("x", Base64Url.Encode(PublicBytes));
        if (includePrivate && _private is not null)
        {
            byte[] seed = _private.Export(KeyBlobFormat.RawPrivateKey);
            writer.WriteString("d", Base64Url.Encode(seed));
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _private?.Dispose();
        base.Dispose(disposing);
    }

    private static void CheckPublic(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != 32)
        {
            throw new KeyException("Ed25519 public key must be 32 bytes");
        }

        Span<byte> y = stackalloc byte[32];
        raw.CopyTo(y);
        y[31] &= 0x7F;
        foreach (byte[] point in SmallOrder)
        {
            if (y.SequenceEqual(point))
            {
                throw new KeyException("Ed25519 public key is a point of small order; it would verify forged signatures");
            }
        }

        // y ≥ p = 2^255 − 19 is a non-canonical encoding (RFC 8032 §5.1.3).
        if (y[31] == 0x7F && y[0] >= 0xED && !y[1..31].ContainsAnyExcept((byte)0xFF))
        {
            throw new KeyException("Ed25519 public key is not canonically encoded (y ≥ p)");
        }
    }
}
