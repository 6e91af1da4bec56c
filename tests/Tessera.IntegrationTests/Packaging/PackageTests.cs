// What a .NET user installs (issue 7): `dotnet pack` makes Tessera.Core a library package with its
// README, XML docs and repository commit, and the CLI the Tessera.Tool .NET tool whose command is
// `tessera`. The tool is installed from the packed output alone (a NuGet config that clears every
// other source) into a temporary tool path, and then used for a real keygen/issue/verify round trip.
using System.IO.Compression;
using System.Text.RegularExpressions;
using Tessera.IntegrationTests.Support;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Packaging;

public sealed partial class PackageTests : IClassFixture<PackageTests.Packed>
{
    private readonly Packed _packed;

    public PackageTests(Packed packed) => _packed = packed;

    [Fact]
    public void Tool_InstalledFromThePackedOutput_RunsKeygenIssueVerify()
    {
        using var work = new TempDir();
        string tools = work["tools"];
        File.WriteAllText(work["nuget.config"], $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="packed" value="{_packed.Directory}" /></packageSources></configuration>
            """);
        var install = ChildProcess.Info(
            "dotnet",
            ["tool", "install", "Tessera.Tool", "--tool-path", tools, "--configfile", work["nuget.config"], "--version", _packed.Version],
            work.Path);

        // A private package cache: the user's would hand back an older Tessera.Tool of the same version.
        install.Environment["NUGET_PACKAGES"] = work["nuget-packages"];
        (int installed, string installOut, string installErr) = ChildProcess.Run(install);
        Assert.True(installed == 0, installOut + installErr);

        string tessera = Path.Combine(tools, "tessera");
        Assert.True(File.Exists(tessera), "the tool's command is named tessera");
        (int helpExit, string help, _) = ChildProcess.Run(ChildProcess.Info(tessera, ["--help"]));
        Assert.Equal(0, helpExit);
        Assert.StartsWith("usage: tessera <command>", help, StringComparison.Ordinal);

        string keys = work["keys"];
        Assert.Equal(0, Run(tessera, "keygen", "--out", keys).Exit);
        (int jwksExit, string jwks) = Run(tessera, "jwks", "--keys", keys);
        Assert.Equal(0, jwksExit);
        File.WriteAllText(work["jwks.json"], jwks);
        (int issueExit, string token) = Run(tessera, "issue", "--keys", keys, "--issuer", "https://auth.pack", "--audience", "telemetry", "--subject", "meter-17");
        Assert.Equal(0, issueExit);
        (int verifyExit, string verdict) = Run(tessera, "verify", token.Trim(), "--jwks", work["jwks.json"], "--issuer", "https://auth.pack", "--audience", "telemetry");
        Assert.Equal(0, verifyExit);
        Assert.Equal("valid", verdict.Trim());

        // The installed tool refuses what the built one refuses: another audience is exit 1.
        (int refusedExit, string refused) = Run(tessera, "verify", token.Trim(), "--jwks", work["jwks.json"], "--issuer", "https://auth.pack", "--audience", "billing");
        Assert.Equal(1, refusedExit);
        Assert.Contains("invalid_audience", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void CorePackage_CarriesItsReadme_XmlDocs_AndRepositoryCommit()
    {
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(_packed.Directory, $"Tessera.Core.{_packed.Version}.nupkg"));
        string[] entries = [.. zip.Entries.Select(e => e.FullName)];
        Assert.Contains("README.md", entries);
        Assert.Contains("lib/net10.0/Tessera.Core.dll", entries);
        Assert.Contains("lib/net10.0/Tessera.Core.xml", entries);

        using var nuspec = new StreamReader(zip.GetEntry("Tessera.Core.nuspec")!.Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<readme>README.md</readme>", text, StringComparison.Ordinal);
        Assert.Matches(CommitAttribute(), text);

        // The library carries no host: nothing of ASP.NET Core, SQLite or OpenTelemetry.
        Assert.Contains("id=\"NSec.Cryptography\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sqlite", text, StringComparison.Ordinal);
        Assert.DoesNotContain("OpenTelemetry", text, StringComparison.Ordinal);
    }

    private static (int Exit, string Stdout) Run(string tessera, params string[] args)
    {
        (int exit, string stdout, string stderr) = ChildProcess.Run(ChildProcess.Info(tessera, args));
        return (exit, exit is 0 or 1 ? stdout : stdout + stderr);
    }

    [GeneratedRegex("<repository type=\"git\"[^>]* commit=\"[0-9a-f]{40}\"")]
    private static partial Regex CommitAttribute();

    /// <summary>
    /// Packs the library and the tool once for the class, from the build the tests run against
    /// (--no-build: the test command has just built the solution in this configuration).
    /// </summary>
    public sealed class Packed : IDisposable
    {
        private readonly TempDir _dir = new();

        public Packed()
        {
            // bin/<Configuration>/net10.0/ of this test assembly names the configuration.
            string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            foreach (string project in new[] { "src/Tessera/Tessera.csproj", "src/Tessera.Cli/Tessera.Cli.csproj" })
            {
                (int exit, string stdout, string stderr) = ChildProcess.Run(
                    ChildProcess.Info("dotnet", ["pack", Path.Combine(Repository.Root, project), "-c", configuration, "--no-build", "-o", _dir.Path, "--nologo"]),
                    timeoutSeconds: 300);
                Assert.True(exit == 0, $"dotnet pack {project} failed:\n{stdout}\n{stderr}");
            }

            Version = Path.GetFileNameWithoutExtension(System.IO.Directory.GetFiles(_dir.Path, "Tessera.Tool.*.nupkg").Single())["Tessera.Tool.".Length..];
        }

        public string Directory => _dir.Path;

        public string Version { get; }

        public void Dispose() => _dir.Dispose();
    }
}
