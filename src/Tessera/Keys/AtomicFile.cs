namespace Tessera.Keys;

/// <summary>
/// Writes a file so that readers see the old content or the new, never a part: a temporary file
/// created with its final mode (no window with looser permissions), flushed to disk, renamed, and
/// the directory flushed so the rename itself survives a power cut.
/// </summary>
public static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> (UTF-8), created with <paramref name="mode"/>.</summary>
    public static void Write(string path, string content, UnixFileMode mode)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = mode,
        };
        try
        {
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            UnixFile.SyncDirectory(directory);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
