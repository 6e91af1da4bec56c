namespace Tessera.Jose;

/// <summary>A range in a byte buffer; a negative length means "absent".</summary>
internal readonly record struct Utf8Slice(int Start, int Length)
{
    public static readonly Utf8Slice Absent = new(0, -1);

    public bool IsPresent => Length >= 0;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => IsPresent ? buffer.Slice(Start, Length) : default;
}
