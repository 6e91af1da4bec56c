namespace Tessera.Tests.Support;

/// <summary>
/// Locates ../shared/vectors (public test vectors kept outside the repository; CI has them).
/// TESSERA_VECTORS overrides the location. When they are absent, vector tests say so loudly on
/// stdout and in their test output, and check nothing else.
/// </summary>
public static class SharedVectors
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string? Directory => Root.Value;

    public static string RepositoryRoot
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !System.IO.File.Exists(Path.Combine(dir, "Tessera.slnx")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("Cannot find the repository root (Tessera.slnx) above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The full path of a vector file, or null (after a loud message) when absent.</summary>
    public static string? File(string relative, ITestOutputHelper output)
    {
        string? root = Directory;
        string? path = root is null ? null : Path.Combine(root, relative);
        if (path is null || !System.IO.File.Exists(path))
        {
            string message = $"*** TEST VECTORS ABSENT: {relative} not found (looked in {root ?? "../shared/vectors and $TESSERA_VECTORS"}); these vector checks DID NOT RUN ***";
            output.WriteLine(message);
            Console.WriteLine(message);
            return null;
        }

        return path;
    }

    private static string? Find()
    {
        string? env = Environment.GetEnvironmentVariable("TESSERA_VECTORS");
        if (!string.IsNullOrEmpty(env))
        {
            return System.IO.Directory.Exists(env) ? Path.GetFullPath(env) : null;
        }

        string candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "vectors"));
        return System.IO.Directory.Exists(candidate) ? candidate : null;
    }
}
