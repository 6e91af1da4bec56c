using System.Text.RegularExpressions;
using Tessera.Tests.Support;

namespace Tessera.Tests.Vectors;

/// <summary>
/// The vector files the tests read are in the repository (tests/vectors), non-empty, and named
/// with their origin and licence in tests/vectors/README.md. A fresh clone runs every vector row.
/// </summary>
public sealed partial class VectorManifestTests
{
    /// <summary>Every file under tests/vectors that a test reads, relative to that folder.</summary>
    private static readonly string[] Read =
    [
        "wycheproof/ecdsa_secp256r1_sha256_p1363_test.json",
        "wycheproof/ecdsa_secp384r1_sha384_p1363_test.json",
        "wycheproof/ecdsa_secp521r1_sha512_p1363_test.json",
        "wycheproof/ecdsa_secp256r1_sha256_test.json",
        "wycheproof/ed25519_test.json",
        "wycheproof/rsa_signature_2048_sha256_test.json",
        "wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json",
        "wycheproof/json_web_signature_test.json",
        "wycheproof/json_web_key_test.json",
        "wycheproof/json_web_crypto_test.json",
        "ed25519-speccheck/cases.json",
        "rfc_examples.json",
    ];

    public static TheoryData<string> ReadFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string file in Read)
            {
                data.Add(file);
            }

            return data;
        }
    }

    private static string Readme => File.ReadAllText(Path.Combine(TestVectors.Directory, "README.md"));

    [Theory]
    [MemberData(nameof(ReadFiles))]
    public void VectorFile_IsInTheRepository_NonEmpty_AndNamedInTheReadme(string file)
    {
        TestVectors.ReadAllText(file); // throws, naming the file, when it is missing or empty
        Assert.True(HasRow(Readme, file), $"{TestVectors.Folder}/README.md has no row for {file}");
    }

    /// <summary>The list above is complete: every vector path a test source names is on it, and each listed one is used.</summary>
    [Fact]
    public void Manifest_ListsExactlyTheVectorFilesTheTestsName()
    {
        string sources = Path.Combine(Repository.Root, "tests", "Tessera.Tests");
        var named = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string source in Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(sources, source);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal)
                || Path.GetFileName(source) == nameof(VectorManifestTests) + ".cs")
            {
                continue;
            }

            foreach (Match m in VectorPath().Matches(File.ReadAllText(source)))
            {
                named.Add(m.Groups[1].Value);
            }
        }

        Assert.Equal(new SortedSet<string>(Read, StringComparer.Ordinal), named);
    }

    /// <summary>Every file kept in tests/vectors has a README row, by its own path or by its folder's.</summary>
    [Fact]
    public void Readme_NamesEveryFileInTheVectorsFolder()
    {
        string readme = Readme;
        var unnamed = new List<string>();
        foreach (string path in Directory.EnumerateFiles(TestVectors.Directory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(TestVectors.Directory, path).Replace('\\', '/');
            string folder = relative.Contains('/', StringComparison.Ordinal) ? relative[..(relative.LastIndexOf('/') + 1)] : "";
            bool named = relative == "README.md"
                || HasRow(readme, relative)
                || (folder.Length > 0 && HasRow(readme, folder));
            if (!named)
            {
                unnamed.Add(relative);
            }
        }

        Assert.True(unnamed.Count == 0, $"{TestVectors.Folder}/README.md has no row for: {string.Join(", ", unnamed)}");
    }

    /// <summary>A table row of the README that starts with this path.</summary>
    private static bool HasRow(string readme, string path) =>
        readme.Contains($"\n| `{path}` |", StringComparison.Ordinal);

    [GeneratedRegex("\"((?:wycheproof|jose-cookbook|ed25519-speccheck)/[A-Za-z0-9_.\\-]+|rfc_examples\\.json)\"")]
    private static partial Regex VectorPath();
}
