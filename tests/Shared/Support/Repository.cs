namespace Tessera.Tests.Support;

/// <summary>The checkout the tests run from: the nearest directory above the test binary that holds Tessera.slnx.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    public static string Root => RootDirectory.Value;

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Tessera.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Cannot find the repository root (Tessera.slnx) above " + AppContext.BaseDirectory);
    }
}
