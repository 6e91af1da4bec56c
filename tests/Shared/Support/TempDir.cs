namespace Tessera.Tests.Support;

/// <summary>
/// A scratch directory removed at dispose, under /var/tmp: key directories are refused on
/// volatile locations such as /tmp (docs/SPEC.md §5), and /var/tmp survives reboots.
/// </summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine("/var/tmp", "tessera-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
