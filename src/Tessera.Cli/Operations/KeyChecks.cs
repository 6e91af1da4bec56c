using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Cli.Operations;

/// <summary>Doctor checks on a key directory: modes, owner, location, key sizes, key age.</summary>
internal static class KeyChecks
{
    public static IEnumerable<DoctorCheck> Run(string dir, KeySchedule schedule, DateTimeOffset now)
    {
        if (!Directory.Exists(dir))
        {
            yield return new("key directory", DoctorStatus.Fail, $"{dir} does not exist", $"tessera rotate --keys {dir}");
            yield break;
        }

        UnixFileMode mode = File.GetUnixFileMode(dir);
        (uint owner, uint me, bool accepted) = KeyLocation.Ownership(dir);
        yield return (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0
            ? new("key directory", DoctorStatus.Fail, $"{dir} is writable by group or others ({Doctor.Octal(mode)})", $"chmod 700 {dir}")
            : !accepted
                ? new("key directory", DoctorStatus.Fail, $"{dir} is owned by uid {owner}", $"chown {me} {dir}")
                : Doctor.LeaksToOthers(mode)
                    ? new("key directory", DoctorStatus.Warn, $"{dir} is readable by group or others ({Doctor.Octal(mode)})", $"chmod 700 {dir}")
                    : new("key directory", DoctorStatus.Pass, $"{dir} mode {Doctor.Octal(mode)}, owner uid {owner}");

        string? volatileWhy = KeyLocation.VolatileReason(dir);
        yield return volatileWhy is null
            ? new("key location", DoctorStatus.Pass, $"{dir} is on persistent storage")
            : new("key location", DoctorStatus.Fail, volatileWhy, "move the keys to /etc/jwt/keys (or another persistent directory)");

        List<string> privateFiles = [.. Directory.EnumerateFiles(dir).Where(IsPrivate).Order(StringComparer.Ordinal)];
        List<string> loose = [.. privateFiles.Where(f => Doctor.LeaksToOthers(File.GetUnixFileMode(f)) || Owner(f) is not null)];
        yield return privateFiles.Count == 0
            ? new("private key files", DoctorStatus.Warn, $"no private key in {dir}", $"tessera rotate --keys {dir}")
            : loose.Count > 0
                ? new("private key files", DoctorStatus.Fail, string.Join("; ", loose.Select(f => $"{f} mode {Doctor.Octal(File.GetUnixFileMode(f))}{Owner(f)}")), $"chmod 600 {string.Join(' ', loose)} (and chown to the service user)")
                : new("private key files", DoctorStatus.Pass, $"{privateFiles.Count} private key(s), all 0600 or stricter");

        (List<string> weakAsym, List<string> weakHmac, int checkedKeys) = Strength(dir);
        yield return weakAsym.Count > 0
            ? new("key sizes", DoctorStatus.Fail, string.Join("; ", weakAsym), "replace with RSA ≥ 2048 bits (4096 recommended) or Ed25519: tessera keys import / rotate")
            : new("key sizes", DoctorStatus.Pass, $"{checkedKeys} key file(s) meet the minimums");
        yield return weakHmac.Count > 0
            ? new("HMAC secrets", DoctorStatus.Fail, string.Join("; ", weakHmac), "use secrets of at least 32 bytes (HS256), 48 (HS384), 64 (HS512)")
            : new("HMAC secrets", DoctorStatus.Pass, "no short HMAC secret");

        yield return Age(dir, schedule, now);
    }

    private static bool IsPrivate(string file) =>
        file.EndsWith(".key.pem", StringComparison.Ordinal) || file.EndsWith(".key.jwk", StringComparison.Ordinal)
        || (file.EndsWith(".pem", StringComparison.Ordinal) && File.ReadAllText(file).Contains("PRIVATE KEY", StringComparison.Ordinal));

    private static string? Owner(string file)
    {
        (uint owner, _, bool accepted) = KeyLocation.Ownership(file);
        return accepted ? null : $", owner uid {owner}";
    }

    // Every key file is read on its own, so one weak key is named even if metadata is missing
    // (the seed's private.pem / public.pem layout has none).
    private static (List<string> Asym, List<string> Hmac, int Count) Strength(string dir)
    {
        var asym = new List<string>();
        var hmac = new List<string>();
        int count = 0;
        foreach (string file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            bool isJwk = file.EndsWith(".key.jwk", StringComparison.Ordinal);
            if (!isJwk && !file.EndsWith(".pem", StringComparison.Ordinal))
            {
                continue;
            }

            count++;
            try
            {
                using JwsKey key = isJwk ? JwsKey.ImportJwk(File.ReadAllText(file)) : JwsKey.ImportPem(File.ReadAllText(file));
            }
            catch (KeyException ex)
            {
                (isJwk ? hmac : asym).Add($"{Path.GetFileName(file)}: {ex.Message}");
            }
        }

        return (asym, hmac, count);
    }

    private static DoctorCheck Age(string dir, KeySchedule schedule, DateTimeOffset now)
    {
        List<KeyMetadata> metadata = [];
        foreach (string file in Directory.EnumerateFiles(dir, "*.json"))
        {
            try
            {
                metadata.Add(KeyMetadata.Parse(File.ReadAllText(file), file));
            }
            catch (KeyException)
            {
                // Reported by the key checks above when the key itself is unreadable.
            }
        }

        KeyMetadata? active = KeyLifecycle.Active(metadata, now);
        if (active is null)
        {
            return new("key age", DoctorStatus.Fail, "no active signing key", $"tessera rotate --keys {dir}");
        }

        TimeSpan age = now - active.Activates;
        bool hasNext = metadata.Any(k => k.Activates > now);
        string detail = $"active key {active.Kid} signing for {age.TotalDays:0.#} days (rotate every {schedule.RotateEvery.TotalDays:0.#})";
        return age > schedule.RotateEvery * 2 ? new("key age", DoctorStatus.Fail, detail, "run tessera rotate from a daily timer (samples/tessera-rotate.timer)")
            : age > schedule.RotateEvery || !hasNext ? new("key age", DoctorStatus.Warn, detail + (hasNext ? "" : "; no next key published"), $"tessera rotate --keys {dir}")
            : new("key age", DoctorStatus.Pass, detail + "; next key published");
    }
}
