using System.Text.Json;
using Tessera.Cli.Operations;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera doctor</c> (SPEC §3, §8).</summary>
internal static class DoctorCommand
{
    private const string Help = """
        usage: tessera doctor [--config FILE] [--keys DIR] [--json] [--now UNIXTIME]

        Checks the installation, one row each (pass / warn / fail, with the fix): key directory
        and file modes and owner, volatile key locations, key sizes, HMAC secret lengths,
        allowed_algs, token lifetime, key age against the rotation period, clock
        synchronisation, AES-NI, the OpenSSL version in use, the kernel version.
        Exit 1 when a check fails. --keys overrides keys.dir (default /etc/jwt/keys).
        """;

    public static int Run(string[] argv, TextWriter stdout)
    {
        var args = new Args(argv, ["--config", "--keys", "--now"], ["--json"]);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        JwksCommand.NoPositionals(args);
        IReadOnlyList<DoctorCheck> checks = Doctor.Run(args.Optional("--config"), args.Optional("--keys"), args.Clock().GetUtcNow());
        bool failed = checks.Any(c => c.Status == DoctorStatus.Fail);
        if (args.Has("--json"))
        {
            var rows = checks.Select(c => new { name = c.Name, status = c.Status.ToString().ToLowerInvariant(), detail = c.Detail, fix = c.Fix });
            stdout.WriteLine(JsonSerializer.Serialize(new { ok = !failed, checks = rows }, JsonOptions));
        }
        else
        {
            foreach (DoctorCheck c in checks)
            {
                string fix = c.Fix is null || c.Status == DoctorStatus.Pass ? "" : $"  -> {c.Fix}";
                stdout.WriteLine($"{c.Status.ToString().ToLowerInvariant(),-5} {c.Name,-18} {c.Detail}{fix}");
            }
        }

        return failed ? 1 : 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
