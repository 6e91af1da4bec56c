// RFC 8259 JSON, read strictly for JOSE (RFC 7515 §4, RFC 7519 §4, RFC 8725 §2.6/§3.7): valid
// UTF-8, no BOM, no comments or trailing commas, nesting depth at most 32, nothing after the root
// value, no duplicate member names at any depth (compared after unescaping, so "\u0061lg" is
// "alg"), and no escaped lone surrogates. Bounded: at most MaxNames member names per document.
// Bad input surfaces as JsonException or InvalidOperationException from the reader; callers
// convert both to "malformed" (they never escape the pipeline).
using System.Text.Json;

namespace Tessera.Jose;

internal ref struct StrictJson
{
    public const int MaxDepth = 32;
    public const int MaxNames = 512;

    private static readonly JsonReaderOptions Options = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private Utf8JsonReader _reader;
    private readonly Span<byte> _names;
    private readonly Span<int> _ends;
    private readonly Span<int> _frames;
    private int _count;
    private int _depth;

    /// <param name="json">The document.</param>
    /// <param name="names">Scratch for unescaped names, at least <paramref name="json"/>'s length.</param>
    /// <param name="ends">Scratch of <see cref="MaxNames"/> ints.</param>
    /// <param name="frames">Scratch of <see cref="MaxDepth"/> + 1 ints.</param>
    public StrictJson(ReadOnlySpan<byte> json, Span<byte> names, Span<int> ends, Span<int> frames)
    {
        _reader = new Utf8JsonReader(json, Options);
        _names = names;
        _ends = ends;
        _frames = frames;
    }

    public enum Step
    {
        Member,
        End,
        Bad,
    }

    public readonly JsonTokenType TokenType => _reader.TokenType;

    /// <summary>Checks the encoding and enters the root, which must be an object.</summary>
    public static bool IsPlausible(ReadOnlySpan<byte> json) =>
        json.Length > 0 && json[0] != 0xEF && System.Text.Unicode.Utf8.IsValid(json);

    public bool OpenObject()
    {
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        Push();
        return true;
    }

    /// <summary>After the root object: true when nothing but whitespace follows.</summary>
    public bool Close() => !_reader.Read();

    /// <summary>Moves to the next member of the current object and onto its value.</summary>
    public Step NextMember(out ReadOnlySpan<byte> name)
    {
        name = default;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.EndObject)
        {
            // The closed object's names leave scope: a parent may reuse them ("act": {"sub"}).
            _count = _frames[--_depth];
            return Step.End;
        }

        if (_count == MaxNames)
        {
            return Step.Bad;
        }

        int start = _ends.Length > 0 && _count > 0 ? _ends[_count - 1] : 0;
        int length = _reader.ValueIsEscaped
            ? _reader.CopyString(_names[start..])
            : CopyRaw(_reader.ValueSpan, _names[start..]);
        name = _names.Slice(start, length);
        for (int i = _frames[_depth - 1]; i < _count; i++)
        {
            int s = i == 0 ? 0 : _ends[i - 1];
            if (_names[s.._ends[i]].SequenceEqual(name))
            {
                return Step.Bad;
            }
        }

        _ends[_count++] = start + length;
        _reader.Read();
        return Step.Member;
    }

    /// <summary>Reads the current string value, unescaped, into <paramref name="destination"/>.</summary>
    public int CopyString(Span<byte> destination) =>
        _reader.ValueIsEscaped ? _reader.CopyString(destination) : CopyRaw(_reader.ValueSpan, destination);

    /// <summary>The current number, when it is a finite JSON number.</summary>
    public readonly bool TryGetNumber(out double value)
    {
        value = 0;
        if (_reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        // Whole seconds are the common case and parse faster as integers.
        if (_reader.TryGetInt64(out long whole))
        {
            value = whole;
            return true;
        }

        return _reader.TryGetDouble(out value) && double.IsFinite(value);
    }

    /// <summary>Moves the reader to the next token (inside arrays).</summary>
    public bool Read() => _reader.Read();

    /// <summary>Skips the current value, checking nested objects and escaped strings.</summary>
    public bool SkipValue()
    {
        switch (_reader.TokenType)
        {
            case JsonTokenType.StartObject:
                Push();
                while (true)
                {
                    Step step = NextMember(out _);
                    if (step == Step.End)
                    {
                        return true;
                    }

                    if (step == Step.Bad || !SkipValue())
                    {
                        return false;
                    }
                }

            case JsonTokenType.StartArray:
                while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!SkipValue())
                    {
                        return false;
                    }
                }

                return true;

            case JsonTokenType.String when _reader.ValueIsEscaped:
                // Unescaping validates surrogate pairs; the scratch after the names has room.
                int start = _count > 0 ? _ends[_count - 1] : 0;
                _reader.CopyString(_names[start..]);
                return true;

            default:
                return true;
        }
    }

    private static int CopyRaw(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        raw.CopyTo(destination);
        return raw.Length;
    }

    private void Push()
    {
        _frames[_depth++] = _count;
    }
}
