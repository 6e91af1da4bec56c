// RFC 7515 §2 and Appendix C: base64url (RFC 4648 §5) with all padding omitted.
// Deliberately stricter than RFC 4648: only the 64-character alphabet, no padding, no whitespace,
// length mod 4 never 1, and the unused low bits of the last character must be zero (RFC 4648
// §3.5 "canonical encoding"). One encoded form per byte string means a token cannot be re-encoded
// into a different string with the same meaning (ATTACKS.md A09–A14, G04).
using System.Buffers;

namespace Tessera.Jose;

internal static class Base64Url
{
    private static readonly SearchValues<byte> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    /// <summary>True when <paramref name="encoded"/> is canonical unpadded base64url.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> encoded)
    {
        if (encoded.ContainsAnyExcept(Alphabet))
        {
            return false;
        }

        int rest = encoded.Length & 3;
        if (rest == 0)
        {
            return true;
        }

        if (rest == 1)
        {
            return false;
        }

        // Two trailing characters carry 8 bits (4 unused), three carry 16 bits (2 unused).
        int last = SixBits(encoded[^1]);
        int unusedMask = rest == 2 ? 0x0F : 0x03;
        return (last & unusedMask) == 0;
    }

    /// <summary>Decoded size of a canonical encoding of <paramref name="encodedLength"/> characters.</summary>
    public static int DecodedLength(int encodedLength)
    {
        int rest = encodedLength & 3;
        return (encodedLength >> 2) * 3 + (rest == 0 ? 0 : rest - 1);
    }

    /// <summary>Decodes a canonical encoding; false for anything else.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, Span<byte> destination, out int written)
    {
        written = 0;
        if (!IsCanonical(encoded) || destination.Length < DecodedLength(encoded.Length))
        {
            return false;
        }

        OperationStatus status = System.Buffers.Text.Base64Url.DecodeFromUtf8(encoded, destination, out _, out written);
        return status == OperationStatus.Done;
    }

    /// <summary>Decodes a canonical encoding given as characters.</summary>
    public static byte[]? Decode(ReadOnlySpan<char> encoded)
    {
        if (encoded.Length > 1 << 20)
        {
            return null;
        }

        byte[] ascii = new byte[encoded.Length];
        if (System.Text.Ascii.FromUtf16(encoded, ascii, out _) != OperationStatus.Done)
        {
            return null;
        }

        byte[] result = new byte[DecodedLength(ascii.Length)];
        return TryDecode(ascii, result, out int n) && n == result.Length ? result : null;
    }

    public static int EncodedLength(int byteCount) => System.Buffers.Text.Base64Url.GetEncodedLength(byteCount);

    public static int Encode(ReadOnlySpan<byte> data, Span<byte> destination) =>
        System.Buffers.Text.Base64Url.EncodeToUtf8(data, destination);

    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    private static int SixBits(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'-' => 62,
        _ => 63,
    };
}
