// The few POSIX calls .NET does not expose: a file's owner (stat), the effective uid, and
// fsync on a directory (so a rename is durable, not only the renamed file's content).
// Linux only (glibc ≥ 2.33 exports stat; the struct layouts are those of x86-64 and arm64).
using System.Runtime.InteropServices;

namespace Tessera.Keys;

internal static partial class UnixFile
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // x86-64; arm64 uses 0x4000
    private const int ODirectoryArm64 = 0x4000;

    /// <summary>The owner uid of <paramref name="path"/> (following symlinks).</summary>
    public static uint OwnerOf(string path)
    {
        byte[] buffer = new byte[256];
        if (Stat(path, buffer) != 0)
        {
            throw new IOException($"cannot stat {path} (errno {Marshal.GetLastPInvokeError()})");
        }

        int offset = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 24 : 28;
        return BitConverter.ToUInt32(buffer, offset);
    }

    /// <summary>The effective uid of this process.</summary>
    public static uint EffectiveUser => GetEuid();

    /// <summary>Flushes a directory's entries (after a rename in it) to disk.</summary>
    public static void SyncDirectory(string path)
    {
        int flags = ORdOnly | (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? ODirectoryArm64 : ODirectory);
        int fd = Open(path, flags);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of {path} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
