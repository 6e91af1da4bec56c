using System.Collections.Concurrent;
using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Vectors;

/// <summary>
/// Reads the public vector files of tests/vectors once per run. Row data for [MemberData] comes
/// from here, one row per test id. A missing, empty or unparsable file throws (naming the file):
/// from a row-data property that fails the theory, from a test body it fails the test.
/// </summary>
internal static class VectorFile
{
    private static readonly ConcurrentDictionary<string, JsonDocument> Cache = new(StringComparer.Ordinal);

    /// <summary>The parsed file, shared by every test of the run (do not dispose it).</summary>
    public static JsonDocument Open(string relative) => Cache.GetOrAdd(relative, TestVectors.ParseJson);

    /// <summary>Row data: every tcId of a Wycheproof file.</summary>
    public static TheoryData<int> TcIds(string relative)
    {
        var data = new TheoryData<int>();
        foreach ((_, JsonElement test) in Tests(Open(relative)))
        {
            data.Add(test.GetProperty("tcId").GetInt32());
        }

        return NotEmpty(data, relative);
    }

    /// <summary>Row data: 1..n for an array of n entries (row r is entry r - 1).</summary>
    public static TheoryData<int> Indexes(string relative, Func<JsonElement, JsonElement> array)
    {
        var data = new TheoryData<int>();
        int count = array(Open(relative).RootElement).GetArrayLength();
        for (int i = 1; i <= count; i++)
        {
            data.Add(i);
        }

        return NotEmpty(data, relative);
    }

    /// <summary>A file that parses but yields no rows would leave its theory with nothing to run.</summary>
    public static TheoryData<int> NotEmpty(TheoryData<int> data, string relative) =>
        data.Any<object[]>() ? data : throw new InvalidDataException($"Test vector file {TestVectors.Folder}/{relative} has no test rows");

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

    /// <summary>The tcId of a (group, test) row.</summary>
    public static int TcId((JsonElement Group, JsonElement Test) row) => row.Test.GetProperty("tcId").GetInt32();

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
