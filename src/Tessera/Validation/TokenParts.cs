// Step 1 of the pipeline, shape (docs/SPEC.md §2; RFC 7515 §5.2 steps 1–7, RFC 7519 §7.2 steps
// 1–6 and 8–10): ASCII only, three canonical base64url segments (header and payload non-empty), a strict JOSE header
// and, unless only the JWS layer is asked for, a strict JSON claims set. It fills a TokenParts
// that steps 2–6 read; nothing here judges alg, kid, typ or the claims' values.
//
// Everything lives in one pooled work buffer the caller rents at 4 × the token's length (the
// size limit has been checked first, so the rent is bounded), laid out front to back:
//
//   ascii (n) | header | payload | signature | names scratch | arena ...
//
// - ascii: the token as bytes; the signing input of step 4 is its first two segments, as sent.
// - decoded segments: each at most 3/4 of its encoded length, so together under 3n/4.
// - names scratch: StrictJson's unescaped member names. A document's names are never longer than
//   the document, and the header is finished before the payload is read, so one scratch of
//   max(header, payload) serves both.
// - arena: unescaped string values. The header's alg, typ and kid go here first; then the claims
//   reader writes its values behind typ (see Read). Header values fit in the header's length, typ
//   plus claim values in header + payload; both under 3n/4, and the arena has at least 3n/2.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Tessera.Jose;

namespace Tessera.Validation;

/// <summary>The parts of one token that steps 2–6 use: slices of the work buffer and the stack.</summary>
internal ref struct TokenParts
{
    /// <summary>Longer than any algorithm name; a longer alg is refused at step 2 without a copy.</summary>
    public const int MaxAlgLength = 16;

    /// <summary>Longer than any kid of ours; a longer kid is refused at step 3 without a copy.</summary>
    public const int MaxKidLength = 256;

    /// <summary>ASCII header "." payload, as sent: what the signature covers.</summary>
    public ReadOnlySpan<byte> SigningInput;

    /// <summary>The decoded payload (UTF-8 JSON).</summary>
    public ReadOnlySpan<byte> Payload;

    /// <summary>The decoded signature.</summary>
    public ReadOnlySpan<byte> Signature;

    /// <summary>The header's alg, copied to the caller's stack; empty when <see cref="AlgTooLong"/>.</summary>
    public Span<byte> Alg;

    /// <summary>The header's kid, copied to the caller's stack; empty when absent or <see cref="KidTooLong"/>.</summary>
    public Span<byte> Kid;

    public bool AlgTooLong;
    public bool KidTooLong;
    public bool HasKid;

    /// <summary>typ then the claim values, unescaped; <see cref="ClaimSet"/> slices index into it.</summary>
    public ReadOnlySpan<byte> Values;

    /// <summary>The registered claims and typ (wrong claim types are only reported at step 6).</summary>
    public ClaimSet Claims;

    /// <param name="algBuffer"><see cref="MaxAlgLength"/> bytes of the caller's stack.</param>
    /// <param name="kidBuffer"><see cref="MaxKidLength"/> bytes of the caller's stack.</param>
    public TokenParts(Span<byte> algBuffer, Span<byte> kidBuffer)
    {
        Alg = algBuffer;
        Kid = kidBuffer;
        Claims = ClaimSet.Empty;
    }

    // Not inlined: inlined into the pipeline's ValidateNew it used up the JIT's inlining budget
    // there, leaving span slicing and copies as calls (measured 40–50 ns slower on HS256).
    /// <summary>Step 1; null when the token has the shape, else why it is malformed.</summary>
    /// <param name="token">The token, its size already checked.</param>
    /// <param name="work">At least 4 × the token's length; everything but alg and kid ends up here.</param>
    /// <param name="readClaims">False for the JWS layer alone: the payload stays opaque bytes.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public string? Read(ReadOnlySpan<char> token, Span<byte> work, bool readClaims)
    {
        int n = token.Length;
        Span<byte> ascii = work[..n];
        if (Ascii.FromUtf16(token, ascii, out _) != OperationStatus.Done)
        {
            return "not ASCII";
        }

        // Exactly two dots; header and payload non-empty. An empty signature passes on (docs/SPEC.md
        // §2 step 1): "alg":"none" tokens end in ".", and they are an algorithm attack, so step 2
        // answers them invalid_algorithm, the message operators are told to look for; under a
        // real algorithm an empty signature fails at step 4 (every key checks the exact length).
        int dot1 = ascii.IndexOf((byte)'.');
        int dot2 = dot1 < 0 ? -1 : ascii[(dot1 + 1)..].IndexOf((byte)'.') + dot1 + 1;
        if (dot1 <= 0 || dot2 <= dot1 + 1 || ascii[(dot2 + 1)..].Contains((byte)'.'))
        {
            return "not three segments with a header and a payload";
        }

        SigningInput = ascii[..dot2];
        Span<byte> rest = work[n..];
        if (!Decode(ascii[..dot1], ref rest, out Span<byte> header)
            || !Decode(ascii[(dot1 + 1)..dot2], ref rest, out Span<byte> payload)
            || !Decode(ascii[(dot2 + 1)..], ref rest, out Span<byte> signature))
        {
            return "not canonical base64url";
        }

        Payload = payload;
        Signature = signature;
        int scratch = Math.Max(header.Length, payload.Length);
        Span<byte> names = rest[..scratch];
        Span<byte> arena = rest[scratch..];
        if (!JoseHeader.TryRead(header, names, arena, out JoseHeader.Fields h))
        {
            return "header is not a valid JOSE header";
        }

        // alg and kid leave the arena now, before anything below writes over it (the typ move
        // and the claims). Values too long to be any algorithm or any of our kids are not copied;
        // steps 2 and 3 refuse them, after the payload has passed this step.
        ReadOnlySpan<byte> alg = h.Alg.Of(arena);
        AlgTooLong = alg.Length > MaxAlgLength;
        Alg = AlgTooLong ? default : Alg[..alg.Length];
        if (!AlgTooLong)
        {
            alg.CopyTo(Alg);
        }

        HasKid = h.Kid.IsPresent;
        KidTooLong = HasKid && h.Kid.Length > MaxKidLength;
        Kid = HasKid && !KidTooLong ? Kid[..h.Kid.Length] : default;
        if (!KidTooLong)
        {
            h.Kid.Of(arena).CopyTo(Kid);
        }

        // typ moves to the start of the arena and the claims reader writes only behind it
        // (`used` starts at its length), so typ survives for step 5. The move may overlap its
        // source and may overwrite alg or kid: CopyTo is a memmove, and both were copied out above.
        int used = 0;
        if (h.Typ.IsPresent)
        {
            arena.Slice(h.Typ.Start, h.Typ.Length).CopyTo(arena);
            Claims.Typ = new Utf8Slice(0, h.Typ.Length);
            used = h.Typ.Length;
        }

        // Header names and other header values are dead from here: the claims reuse both.
        if (readClaims && !ClaimsReader.TryRead(payload, names, arena, ref used, ref Claims))
        {
            return "payload is not a JSON claims set";
        }

        Values = arena[..used];
        return null;
    }

    // Canonical base64url into the front of `rest`, which then starts behind it. `rest` is scoped
    // so that the decoded slice keeps the work buffer's lifetime, not that of the local `rest`.
    private static bool Decode(ReadOnlySpan<byte> encoded, scoped ref Span<byte> rest, out Span<byte> decoded)
    {
        int length = Base64Url.DecodedLength(encoded.Length);
        decoded = rest[..length];
        rest = rest[length..];
        return Base64Url.TryDecode(encoded, decoded, out int written) && written == length;
    }
}
