using System.Text.Json;

namespace Tessera.Tests.Support;

/// <summary>
/// The public test vectors of tests/vectors (origin and licence of each file: its README.md).
/// They are part of the repository and are read from there only. A missing or empty file
/// throws, naming the file, so the test that needs it fails; from [MemberData] the exception
/// fails the whole theory.
/// </summary>
public static class TestVectors
{
    /// <summary>The vectors' folder, relative to the repository root.</summary>
    public const string Folder = "tests/vectors";

    public static string Directory => Path.Combine(Repository.Root, "tests", "vectors");

    /// <summary>The full path of a vector file (<paramref name="relative"/> to tests/vectors); throws when it is missing or empty.</summary>
    public static string File(string relative)
    {
        string path = Path.Combine(Directory, relative);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Test vector file {Folder}/{relative} is missing (looked for {path}). The vectors are part of the repository: restore it with `git checkout -- {Folder}/{relative}`.", path);
        }

        if (info.Length == 0)
        {
            throw new InvalidDataException($"Test vector file {Folder}/{relative} is empty ({path}). Restore it with `git checkout -- {Folder}/{relative}`.");
        }

        return path;
    }

    /// <summary>The text of a vector file; throws when it is missing, empty or only whitespace.</summary>
    public static string ReadAllText(string relative)
    {
        string text = System.IO.File.ReadAllText(File(relative));
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidDataException($"Test vector file {Folder}/{relative} holds only whitespace. Restore it with `git checkout -- {Folder}/{relative}`.");
        }

        return text;
    }

    /// <summary>A vector file parsed as JSON (the caller disposes it); throws, naming the file, when it is missing, empty or not JSON.</summary>
    public static JsonDocument ParseJson(string relative)
    {
        string text = ReadAllText(relative);
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Test vector file {Folder}/{relative} is not valid JSON: {ex.Message}", ex);
        }
    }
}
