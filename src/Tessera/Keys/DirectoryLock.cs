namespace Tessera.Keys;

/// <summary>
/// Serialises writers of one key directory across processes: an exclusive lock (flock, taken by
/// .NET for FileShare.None) on <c>.lock</c> in the directory, waited for up to a deadline. The
/// kernel drops it when the holder dies, even by SIGKILL.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    public static DirectoryLock Acquire(string directory, TimeSpan timeout)
    {
        string path = Path.Combine(directory, ".lock");
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
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
