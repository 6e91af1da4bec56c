namespace Tessera.Keys;

/// <summary>
/// Serialises writers of one key directory across processes, and keeps readers from seeing a
/// directory half-way through a rotation (readdir is not atomic against renames): writers take
/// an exclusive flock on <c>.lock</c> (.NET takes LOCK_EX for FileShare.None), readers a shared
/// one (LOCK_SH for any other sharing), each waited for up to a deadline. The kernel drops a
/// lock when its holder dies, even by SIGKILL.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    public static DirectoryLock Acquire(string directory, TimeSpan timeout) =>
        Take(directory, timeout, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });

    /// <summary>A shared lock for readers; null when no writer ever ran (no lock file).</summary>
    public static DirectoryLock? AcquireShared(string directory, TimeSpan timeout)
    {
        if (!File.Exists(Path.Combine(directory, ".lock")))
        {
            return null;
        }

        try
        {
            return Take(directory, timeout, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite });
        }
        catch (UnauthorizedAccessException)
        {
            return null; // a reader that may not open the lock file reads without it
        }
    }

    private static DirectoryLock Take(string directory, TimeSpan timeout, FileStreamOptions options)
    {
        string path = Path.Combine(directory, ".lock");
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                return new DirectoryLock(new FileStream(path, options));
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(25);
            }
            catch (IOException ex)
            {
                throw new KeyException($"{directory} is locked by another tessera process (waited {timeout.TotalSeconds:0} s)", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
