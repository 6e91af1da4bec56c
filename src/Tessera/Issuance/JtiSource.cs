// jti values need 128 unpredictable bits (RFC 7519 §4.1.7, SPEC §1). Asking the OS CSPRNG for
// 16 bytes costs microseconds per call; each thread instead draws 4 KiB at a time from it and
// hands out consecutive 16-byte slices, each used once and wiped from the buffer as it is taken.
using System.Security.Cryptography;

namespace Tessera.Issuance;

internal static class JtiSource
{
    private const int BufferSize = 4096;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_used;

    public static void Fill(Span<byte> destination)
    {
        byte[]? buffer = t_buffer;
        if (buffer is null || t_used + destination.Length > BufferSize)
        {
            buffer = t_buffer ??= new byte[BufferSize];
            RandomNumberGenerator.Fill(buffer);
            t_used = 0;
        }

        Span<byte> slice = buffer.AsSpan(t_used, destination.Length);
        slice.CopyTo(destination);
        slice.Clear();
        t_used += destination.Length;
    }
}
