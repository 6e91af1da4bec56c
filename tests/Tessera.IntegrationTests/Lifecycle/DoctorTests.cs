// docs/SPEC.md §8 `tessera doctor --json`: on a deliberately broken installation every problem is its own
// failing row with the fix named and the exit code is 1; on a fresh `tessera rotate` directory
// the key rows pass; the host rows (clock, OpenSSL, kernel, AES-NI) run for real on this machine.
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Tests.Lifecycle;
using Tessera.Tests.Support;

namespace Tessera.IntegrationTests.Lifecycle;

public sealed class DoctorTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = Store.T0;
    private static readonly string[] HostRows = ["clock sync", "AES-NI", "OpenSSL", "kernel"];
    private static readonly string[] KeyRows = ["key directory", "key location", "private key files", "key sizes", "HMAC secrets", "key age"];

    private sealed record Row(string Name, string Status, string Detail, string? Fix);

    [Fact]
    public void Doctor_OnABrokenSetup_ReportsEachProblemAsItsOwnFailingRow_AndExits1()
    {
        string scratch = Store.VolatileScratch(); // the key directory is under /tmp: itself a failure
        using var temp = new TempDir();
        try
        {
            string keys = Path.Combine(scratch, "keys");
            var dir = new KeyDirectory(keys, allowVolatile: true);
            StoredKey loose = dir.Generate(JwsAlgorithm.EdDSA, 4096, T0);
            string looseFile = Path.Combine(keys, loose.Metadata.Kid + ".key.pem");
            File.SetUnixFileMode(looseFile, (UnixFileMode)Convert.ToInt32("644", 8));

            // The seed's layout with a 1024-bit key (no metadata), and a 16-byte HMAC secret stored
            // as a private JWK with its metadata.
            string weakRsa = Path.Combine(keys, "private.pem");
            Proc.OpenSslOk("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", weakRsa);
            File.SetUnixFileMode(weakRsa, Store.Private);
            string secret = Base64Url.Encode(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());
            string shortHmac = Path.Combine(keys, "short-secret.key.jwk");
            File.WriteAllText(shortHmac, $$"""{"kty":"oct","k":"{{secret}}","alg":"HS256"}""");
            File.SetUnixFileMode(shortHmac, Store.Private);
            File.WriteAllText(Path.Combine(keys, "short-secret.json"), new KeyMetadata("short-secret", "HS256", T0, T0, null).ToJson());

            string ttlConfig = temp["auth-ttl.json"];
            File.WriteAllText(ttlConfig, """{"issuer":"https://auth.test","audiences":["api"],"token_ttl":"2h"}""");
            string noneConfig = temp["auth-none.json"];
            File.WriteAllText(noneConfig, """{"issuer":"https://auth.test","audiences":["api"],"allowed_algs":["none"]}""");

            (int exit, bool ok, List<Row> rows) = Doctor("--config", ttlConfig, "--keys", keys);
            Assert.Equal(1, exit);
            Assert.False(ok);
            Assert.Equal(
                ["HMAC secrets", "configuration", "key location", "key sizes", "private key files", "token lifetime"],
                Failing(rows));
            Row row = Single(rows, "key location");
            Assert.Equal($"{keys} is under /tmp, which is emptied at reboot", row.Detail);
            Assert.Contains("/etc/jwt/keys", row.Fix, StringComparison.Ordinal);
            row = Single(rows, "private key files");
            Assert.Equal($"{looseFile} mode 0644", row.Detail);
            Assert.StartsWith($"chmod 600 {looseFile}", row.Fix, StringComparison.Ordinal);
            row = Single(rows, "key sizes");
            Assert.Equal("private.pem: RSA key is 1024 bits; the minimum is 2048 bits", row.Detail);
            row = Single(rows, "HMAC secrets");
            Assert.Equal("short-secret.key.jwk: HMAC secret for HS256 is 16 bytes; the minimum is 32 bytes (256 bits)", row.Detail);
            row = Single(rows, "token lifetime");
            Assert.Equal("token_ttl is 120 min", row.Detail);
            Assert.Equal("set token_ttl between 15m and 60m", row.Fix);
            Assert.Contains("token_ttl", Single(rows, "configuration").Detail, StringComparison.Ordinal);
            Assert.Equal("pass", Single(rows, "allowed_algs").Status);
            Assert.Equal("pass", Single(rows, "key directory").Status);

            (exit, ok, rows) = Doctor("--config", noneConfig, "--keys", keys);
            Assert.Equal(1, exit);
            Assert.False(ok);
            Assert.Equal(["HMAC secrets", "allowed_algs", "configuration", "key location", "key sizes", "private key files"], Failing(rows));
            row = Single(rows, "allowed_algs");
            Assert.Equal("[none] contains none", row.Detail);
            Assert.Equal("remove \"none\": it never verifies anything", row.Fix);
            Assert.Contains("allowed_algs", Single(rows, "configuration").Detail, StringComparison.Ordinal);
            Assert.Equal("pass", Single(rows, "token lifetime").Status);
        }
        finally
        {
            Store.DeleteTree(scratch);
        }
    }

    [Fact]
    public void Doctor_NamesAForeignOwner_AndAGroupWritableDirectory()
    {
        using var temp = new TempDir();
        string keys = temp["keys"];
        StoredKey key = new KeyDirectory(keys).Generate(JwsAlgorithm.EdDSA, 4096, T0);
        string file = Path.Combine(keys, key.Metadata.Kid + ".key.pem");
        Assert.Equal(0, Proc.Run(Proc.Info("chown", ["1234", file])).ExitCode);
        File.SetUnixFileMode(keys, (UnixFileMode)Convert.ToInt32("770", 8));

        (int exit, _, List<Row> rows) = Doctor("--keys", keys);
        Assert.Equal(1, exit);
        Assert.Equal(["key directory", "private key files"], Failing(rows));
        Assert.Equal($"{keys} is writable by group or others (0770)", Single(rows, "key directory").Detail);
        Assert.Equal($"chmod 700 {keys}", Single(rows, "key directory").Fix);
        Assert.Equal($"{file} mode 0600, owner uid 1234", Single(rows, "private key files").Detail);
    }

    [Fact]
    public void Doctor_OnAFreshRotatedDirectory_PassesEveryKeyRow()
    {
        using var temp = new TempDir();
        string keys = temp["keys"];
        Outcome rotated = Proc.Tessera("rotate", "--keys", keys, "--now", Proc.Unix(T0));
        Assert.True(rotated.ExitCode == 0, rotated.ToString());

        (int exit, bool ok, List<Row> rows) = Doctor("--keys", keys);
        foreach (Row r in rows)
        {
            output.WriteLine($"{r.Status,-5} {r.Name,-18} {r.Detail}");
        }

        Assert.All(KeyRows, name => Assert.Equal("pass", Single(rows, name).Status));
        Assert.Equal("pass", Single(rows, "allowed_algs").Status);
        Assert.Equal("pass", Single(rows, "token lifetime").Status);
        Assert.Equal("2 private key(s), all 0600 or stricter", Single(rows, "private key files").Detail);
        Assert.EndsWith("; next key published", Single(rows, "key age").Detail, StringComparison.Ordinal);

        // Only a host row can fail here (e.g. an unsynchronised clock), and then the exit says so.
        List<string> failing = Failing(rows, includeHost: true);
        Assert.All(failing, name => Assert.Contains(name, HostRows));
        Assert.Equal(failing.Count == 0, ok);
        Assert.Equal(ok ? 0 : 1, exit);
    }

    // Rotate last ran on day 0: on day 40 the active key is past its period (warn), on day 91
    // past two periods (fail), with the timer named as the fix.
    [Fact]
    public void Doctor_JudgesKeyAge_AgainstTheRotationPeriod()
    {
        using var temp = new TempDir();
        string keys = temp["keys"];
        var dir = new KeyDirectory(keys);
        dir.Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        string b = Store.Metadata(keys).Single(k => k.Activates > T0).Kid;

        Row row = Single(Doctor(T0 + TimeSpan.FromDays(40), "--keys", keys).Rows, "key age");
        Assert.Equal(new Row("key age", "warn", $"active key {b} signing for 10 days (rotate every 30); no next key published", $"tessera rotate --keys {keys}"), row);
        row = Single(Doctor(T0 + TimeSpan.FromDays(91), "--keys", keys).Rows, "key age");
        Assert.Equal("fail", row.Status);
        Assert.Equal($"active key {b} signing for 61 days (rotate every 30)", row.Detail);
        Assert.Equal("run tessera rotate from a daily timer (samples/tessera-rotate.timer)", row.Fix);
        row = Single(Doctor(T0 + TimeSpan.FromDays(10), "--keys", keys).Rows, "key age");
        Assert.Equal("pass", row.Status);
    }

    // Each host row against a fact this test gathers itself, by another route than the product's
    // (a program run here, or grep): the row must say what that fact implies, and when no fact
    // can be had it must say so (warn, "unknown: ..."), not pass or fail.
    [Fact]
    public void Doctor_HostRows_DescribeThisMachine()
    {
        using var temp = new TempDir();
        new KeyDirectory(temp["keys"]).Rotate(JwsAlgorithm.EdDSA, 4096, T0);
        (_, _, List<Row> rows) = Doctor("--keys", temp["keys"]);
        Assert.Equal(HostRows, rows.Select(r => r.Name).Where(HostRows.Contains));
        foreach (Row r in rows.Where(r => HostRows.Contains(r.Name)))
        {
            output.WriteLine($"{r.Status,-5} {r.Name,-11} {r.Detail}");
        }

        // Clock: the first of timedatectl, chronyc, ntpq that answers (exit 0) decides.
        Row clock = Single(rows, "clock sync");
        if (Answer("timedatectl", "show", "-p", "NTPSynchronized", "--value") is string synced)
        {
            output.WriteLine($"timedatectl says NTPSynchronized={synced.Trim()}");
            Assert.Equal(synced.Trim() == "yes" ? "pass" : "fail", clock.Status);
            Assert.StartsWith("timedatectl: ", clock.Detail, StringComparison.Ordinal);
        }
        else if (Answer("chronyc", "tracking") is string tracking)
        {
            string? leap = tracking.Split('\n').Where(l => l.StartsWith("Leap status", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault();
            output.WriteLine($"chronyc says Leap status {leap}");
            Assert.Equal(leap == "Normal" ? "pass" : "fail", clock.Status);
            Assert.StartsWith("chronyc: ", clock.Detail, StringComparison.Ordinal);
        }
        else if (Answer("ntpq", "-pn") is string peers)
        {
            bool selected = peers.Split('\n').Any(l => l.StartsWith('*'));
            output.WriteLine($"ntpq: a system peer is selected: {selected}");
            Assert.Equal(selected ? "pass" : "fail", clock.Status);
            Assert.StartsWith("ntpq: ", clock.Detail, StringComparison.Ordinal);
        }
        else
        {
            output.WriteLine("no clock tool answered here");
            Assert.Equal(new Row("clock sync", "warn", "unknown: none of timedatectl, chronyc, ntpq answered", "install and enable systemd-timesyncd or chrony"), clock);
        }

        // OpenSSL: the version `openssl version` reports for its library (the libssl the runtime
        // loads on this machine), judged against 3.0.
        string opensslText = Proc.OpenSslOk("version").Trim();
        Match ssl = Regex.Match(opensslText, @"Library: OpenSSL (\d+)\.(\d+)\.(\d+)");
        ssl = ssl.Success ? ssl : Regex.Match(opensslText, @"^OpenSSL (\d+)\.(\d+)\.(\d+)");
        Assert.True(ssl.Success, opensslText);
        output.WriteLine($"openssl version: {opensslText}");
        Row openssl = Single(rows, "OpenSSL");
        Assert.Equal($"the runtime loaded OpenSSL {ssl.Groups[1].Value}.{ssl.Groups[2].Value}.{ssl.Groups[3].Value}", openssl.Detail);
        Assert.Equal(int.Parse(ssl.Groups[1].Value) >= 3 ? "pass" : "fail", openssl.Status);

        // Kernel: the release `uname -r` prints, judged against 5.10.
        Outcome uname = Proc.Run(Proc.Info("uname", ["-r"]));
        Assert.True(uname.ExitCode == 0, uname.ToString());
        string release = uname.Stdout.Trim();
        Match m = Regex.Match(release, @"^(\d+)\.(\d+)");
        Assert.True(m.Success, release);
        bool recent = new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)) >= new Version(5, 10);
        output.WriteLine($"uname -r: {release}");
        Row kernel = Single(rows, "kernel");
        Assert.Equal($"Linux {release}", kernel.Detail);
        Assert.Equal(recent ? "pass" : "fail", kernel.Status);

        // AES-NI: grep -w aes /proc/cpuinfo (exit 0 found, 1 not found, 2 no file).
        Outcome grep = Proc.Run(Proc.Info("grep", ["-qw", "aes", "/proc/cpuinfo"]));
        output.WriteLine($"grep -w aes /proc/cpuinfo: exit {grep.ExitCode}");
        Row aesNi = Single(rows, "AES-NI");
        switch (grep.ExitCode)
        {
            case 0:
                Assert.Equal(new Row("AES-NI", "pass", "the CPU has AES instructions", null), aesNi);
                break;
            case 1:
                Assert.Equal("warn", aesNi.Status);
                Assert.Equal("no aes flag in /proc/cpuinfo", aesNi.Detail);
                break;
            default:
                Assert.Equal("warn", aesNi.Status);
                Assert.StartsWith("unknown: ", aesNi.Detail, StringComparison.Ordinal);
                break;
        }
    }

    // The standard output of a program on PATH that exits 0; null when it is absent or fails.
    private static string? Answer(string program, params string[] args)
    {
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        if (!path.Any(dir => File.Exists(Path.Combine(dir, program))))
        {
            return null;
        }

        Outcome o = Proc.Run(Proc.Info(program, args));
        return o.ExitCode == 0 ? o.Stdout : null;
    }

    private static (int Exit, bool Ok, List<Row> Rows) Doctor(params string[] args) => Doctor(T0, args);

    private static (int Exit, bool Ok, List<Row> Rows) Doctor(DateTimeOffset now, params string[] args)
    {
        Outcome o = Proc.Tessera(["doctor", "--json", "--now", Proc.Unix(now), .. args]);
        Assert.True(o.ExitCode is 0 or 1, o.ToString());
        Assert.Equal("", o.Stderr);
        Assert.Single(o.Stdout.TrimEnd('\n').Split('\n')); // one JSON line
        using var doc = JsonDocument.Parse(o.Stdout);
        JsonElement root = doc.RootElement;
        var rows = root.GetProperty("checks").EnumerateArray().Select(c => new Row(
            c.GetProperty("name").GetString()!,
            c.GetProperty("status").GetString()!,
            c.GetProperty("detail").GetString()!,
            c.GetProperty("fix").ValueKind == JsonValueKind.Null ? null : c.GetProperty("fix").GetString())).ToList();
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Detail), r.Name));
        Assert.All(rows.Where(r => r.Status == "fail"), r => Assert.False(string.IsNullOrWhiteSpace(r.Fix), r.Name + " fails without a fix"));
        Assert.Equal(rows.Count, rows.Select(r => r.Name).Distinct().Count());
        return (o.ExitCode, root.GetProperty("ok").GetBoolean(), rows);
    }

    private static List<string> Failing(List<Row> rows, bool includeHost = false) =>
        [.. rows.Where(r => r.Status == "fail" && (includeHost || !HostRows.Contains(r.Name))).Select(r => r.Name).Order(StringComparer.Ordinal)];

    private static Row Single(List<Row> rows, string name) => Assert.Single(rows, r => r.Name == name);
}
