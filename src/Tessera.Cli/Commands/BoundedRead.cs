using System.Text;

namespace Tessera.Cli.Commands;

/// <summary>
/// Reads key material (a file, a pipe, an HTTP body) of at most 1 MiB, counting the bytes actually
/// read: the length a file reports is 0 for a FIFO or a device such as <c>/dev/zero</c>, so a
/// limit checked against it bounds nothing.
/// </summary>
internal static class BoundedRead
{
    /// <summary>The most bytes read from any one source.</summary>
    public const int MaxBytes = 1 << 20;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The text of the file named by <paramref name="flag"/> (UTF-8, an optional BOM dropped);
    /// a missing, unreadable or over-1-MiB file is a usage error naming the flag and the path.
    /// </summary>
    public static string Text(string flag, string path) => Decode(Bytes(flag, path));

    /// <summary>The bytes of the file named by <paramref name="flag"/>, at most <see cref="MaxBytes"/>.</summary>
    public static byte[] Bytes(string flag, string path)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{flag} {path}: is a directory");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{flag} {path}: no such file");
        }

        try
        {
            // FileShare.ReadWrite: never refuse a file (or pipe) that a writer still holds open.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            byte[] buffer = new byte[MaxBytes + 1];
            int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return read > MaxBytes ? throw new UsageException($"{flag} {path}: over 1 MiB") : buffer[..read];
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"{flag} {path}: permission denied");
        }
        catch (IOException ex)
        {
            throw new UsageException($"{flag} {path}: {OneLine(ex.Message)}");
        }
    }

    /// <summary>
    /// At most <see cref="MaxBytes"/> from <paramref name="stream"/>; null when there is more,
    /// which the caller reports with its own flag and source.
    /// </summary>
    public static async Task<byte[]?> StreamAsync(Stream stream, CancellationToken cancel)
    {
        byte[] buffer = new byte[MaxBytes + 1];
        int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancel);
        return read > MaxBytes ? null : buffer[..read];
    }

    /// <summary>UTF-8 without a leading BOM; invalid bytes become U+FFFD and fail the key parser.</summary>
    public static string Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> span = bytes;
        return Encoding.UTF8.GetString(span.StartsWith(Utf8Bom) ? span[Utf8Bom.Length..] : span);
    }

    /// <summary>A message made safe for the one line of stderr a usage error gets.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
