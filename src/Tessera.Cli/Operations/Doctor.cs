// SPEC §8 `doctor`: the checks the seed's troubleshooting sections ask operators to do by hand,
// one row each, with the fix named: key directory and file modes and owner, volatile locations,
// key sizes and HMAC lengths, allowed_algs, token lifetime, key age against the rotation period,
// clock synchronisation, AES-NI, the OpenSSL the runtime loaded, and the kernel version.
using System.Security.Cryptography;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Server.Configuration;
using Tessera.Keys;

namespace Tessera.Cli.Operations;

/// <summary>Runs the operational checks.</summary>
public static class Doctor
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Runs every check.</summary>
    /// <param name="configPath">auth.json, or null for the defaults.</param>
    /// <param name="keysDir">Key directory (else the configuration's, else /etc/jwt/keys).</param>
    /// <param name="now">The moment to judge key ages at.</param>
    public static IReadOnlyList<DoctorCheck> Run(string? configPath, string? keysDir, DateTimeOffset now)
    {
        var checks = new List<DoctorCheck>();
        TesseraConfig? config = null;
        JsonElement raw = default;
        if (configPath is not null)
        {
            try
            {
                raw = JsonDocument.Parse(File.ReadAllText(configPath)).RootElement;
                config = ConfigLoader.Load(configPath);
                checks.Add(new("configuration", DoctorStatus.Pass, $"{configPath} is valid"));
            }
            catch (Exception ex) when (ex is ConfigException or JsonException or IOException)
            {
                checks.Add(new("configuration", DoctorStatus.Fail, ex.Message, "fix the named keys (SPEC §4)"));
            }
        }

        string dir = keysDir ?? config?.KeysDir ?? "/etc/jwt/keys";
        checks.AddRange(KeyChecks.Run(dir, config?.Schedule ?? new KeySchedule(), now));
        checks.Add(AllowedAlgs(raw, config));
        checks.Add(TokenLifetime(raw, config));
        checks.AddRange(SystemChecks.Run());
        if (config is not null && config.RevocationStore.Kind != Tessera.Server.Revocation.RevocationStoreKind.Sqlite)
        {
            checks.AddRange(RedisChecks.Run(config));
        }

        return checks;
    }

    private static DoctorCheck AllowedAlgs(JsonElement raw, TesseraConfig? config)
    {
        string[] names = raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("allowed_algs", out JsonElement a) && a.ValueKind == JsonValueKind.Array
            ? [.. a.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString())]
            : [.. (config?.AllowedAlgs ?? [JwsAlgorithm.EdDSA]).Select(x => x.Name)];
        string list = string.Join(", ", names);
        if (names.Any(n => n.Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            return new("allowed_algs", DoctorStatus.Fail, $"[{list}] contains none", "remove \"none\": it never verifies anything");
        }

        var algs = names.Select(n => JwsAlgorithm.TryParse(n, out JwsAlgorithm x) ? x : null).ToList();
        if (algs.Any(x => x is null))
        {
            return new("allowed_algs", DoctorStatus.Fail, $"[{list}] has an unknown name", "use registered names, case-sensitive (EdDSA, ES256, RS256, ...)");
        }

        if (algs.Any(x => x!.IsSymmetric) && algs.Any(x => !x!.IsSymmetric))
        {
            return new("allowed_algs", DoctorStatus.Fail, $"[{list}] mixes HMAC with asymmetric algorithms", "allow only asymmetric algorithms (algorithm confusion, RFC 8725 §2.1)");
        }

        return algs.Any(x => x!.IsSymmetric)
            ? new("allowed_algs", DoctorStatus.Warn, $"[{list}] uses shared secrets", "prefer EdDSA or RS256: validators then hold no signing secret")
            : new("allowed_algs", DoctorStatus.Pass, $"[{list}]");
    }

    private static DoctorCheck TokenLifetime(JsonElement raw, TesseraConfig? config)
    {
        TimeSpan ttl = config?.TokenTtl ?? TimeSpan.FromMinutes(15);
        if (raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("token_ttl", out JsonElement t) && t.ValueKind == JsonValueKind.String
            && Units.TryParseDuration(t.GetString(), out TimeSpan parsed))
        {
            ttl = parsed;
        }

        string shown = $"token_ttl is {ttl.TotalMinutes:0.##} min";
        return ttl > TimeSpan.FromMinutes(60) || ttl < TimeSpan.FromMinutes(1)
            ? new("token lifetime", DoctorStatus.Fail, shown, "set token_ttl between 15m and 60m")
            : ttl < TimeSpan.FromMinutes(15)
                ? new("token lifetime", DoctorStatus.Warn, shown + " (below the 15–60 min policy)", "15m to 60m balances exposure and load")
                : new("token lifetime", DoctorStatus.Pass, shown);
    }

    internal static bool LeaksToOthers(UnixFileMode mode) => (mode & GroupOrOther) != 0;

    internal static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    internal static string OpenSslVersionText(long v) => $"{(v >> 28) & 0xF}.{(v >> 20) & 0xFF}.{(v >> 4) & 0xFF}";

    internal static long OpenSslVersion() => SafeEvpPKeyHandle.OpenSslVersion;
}
