using System.Collections.Concurrent;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Vectors;

/// <summary>
/// Reads the public vector files of ../shared/vectors once per run. Row data for [MemberData]
/// comes from here: one row per test id, or a single placeholder row (id 0) when the file is
/// absent, so that the test still runs and prints the loud absence message.
/// </summary>
internal static class VectorFile
{
    /// <summary>The id of the placeholder row used when a vector file is absent.</summary>
    public const int Absent = 0;

    private static readonly ConcurrentDictionary<string, JsonDocument?> Cache = new(StringComparer.Ordinal);

    /// <summary>The parsed file, or null when it is absent (no message: for row discovery).</summary>
    public static JsonDocument? Peek(string relative) =>
        Cache.GetOrAdd(relative, static r =>
        {
            string? root = SharedVectors.Directory;
            string? path = root is null ? null : Path.Combine(root, r);
            return path is not null && File.Exists(path) ? JsonDocument.Parse(File.ReadAllText(path)) : null;
        });

    /// <summary>The parsed file, or null after the loud absence message.</summary>
    public static JsonDocument? Open(string relative, ITestOutputHelper output) =>
        SharedVectors.File(relative, output) is null ? null : Peek(relative);

    /// <summary>Row data: every tcId of a Wycheproof file, or the placeholder row.</summary>
    public static TheoryData<int> TcIds(string relative)
    {
        var data = new TheoryData<int>();
        JsonDocument? doc = Peek(relative);
        if (doc is null)
        {
            data.Add(Absent);
            return data;
        }

        foreach ((_, JsonElement test) in Tests(doc))
        {
            data.Add(test.GetProperty("tcId").GetInt32());
        }

        return data;
    }

    /// <summary>Row data: indexes 0..n-1 of an array (offset by one so 0 stays the placeholder).</summary>
    public static TheoryData<int> Indexes(string relative, Func<JsonElement, JsonElement> array)
    {
        var data = new TheoryData<int>();
        JsonDocument? doc = Peek(relative);
        if (doc is null)
        {
            data.Add(Absent);
            return data;
        }

        int count = array(doc.RootElement).GetArrayLength();
        for (int i = 1; i <= count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    /// <summary>Every (group, test) pair of a Wycheproof file, in file order.</summary>
    public static IEnumerable<(JsonElement Group, JsonElement Test)> Tests(JsonDocument doc)
    {
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                yield return (group, test);
            }
        }
    }

    /// <summary>The group and test of one tcId; fails the test when it is not there.</summary>
    public static (JsonElement Group, JsonElement Test) Find(JsonDocument doc, int tcId)
    {
        foreach ((JsonElement group, JsonElement test) in Tests(doc))
        {
            if (test.GetProperty("tcId").GetInt32() == tcId)
            {
                return (group, test);
            }
        }

        throw new InvalidOperationException($"tcId {tcId} is not in the file");
    }

    /// <summary>The header's <c>numberOfTests</c>.</summary>
    public static int DeclaredCount(JsonDocument doc) => doc.RootElement.GetProperty("numberOfTests").GetInt32();

    public static string Str(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static string? OptStr(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static byte[] Hex(JsonElement e, string name) => Convert.FromHexString(Str(e, name));

    public static string[] Flags(JsonElement test) =>
        test.TryGetProperty("flags", out JsonElement f) ? [.. f.EnumerateArray().Select(x => x.GetString()!)] : [];

    /// <summary>Writes the one-line per-file summary to the test output and stdout.</summary>
    public static void Summary(ITestOutputHelper output, string relative, string line)
    {
        string text = $"[vectors] {relative}: {line}";
        output.WriteLine(text);
        Console.WriteLine(text);
    }
}
