using System.Globalization;
using Tessera.Server.Configuration;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Server.Revocation;
using Tessera.Validation;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera revoke</c> (SPEC §3, §7).</summary>
internal static class RevokeCommand
{
    private const string Help = """
        usage: tessera revoke TOKEN --config FILE [--now UNIXTIME]
               tessera revoke --jti JTI --until UNIXTIME --config FILE

        Puts a token's jti on the deny list of revocation.store, until the token's exp plus
        clock_skew (then it drops off by itself). A TOKEN must be one this issuer signed (checked
        against keys.dir). A running service sees the revocation within a second.
        """;

    public static int Run(string[] argv, TextWriter stdout)
    {
        var args = new Args(argv, ["--config", "--jti", "--until", "--now"], []);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        TesseraConfig config;
        try
        {
            config = ConfigLoader.Load(args.Required("--config"));
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }

        TimeProvider clock = args.Clock();
        string jti;
        DateTimeOffset until;
        if (args.Positionals.Count == 1)
        {
            KeySet keys = KeyDirectories.Open(config.KeysDir, config.Schedule).PublishedAt(clock.GetUtcNow());
            var validator = new TokenValidator(
                new ValidationOptions { Issuer = config.Issuer, Audiences = config.Audiences, Algorithms = config.AllowedAlgs, Type = config.TokenTyp, ClockSkew = config.ClockSkew, MaxLifetime = config.MaxTokenLifetime, CacheSize = 0 },
                keys,
                clock);
            ValidationResult result = validator.Validate(args.Positionals[0]);
            if (result.Claims?.JwtId is not string id || result.Claims.ExpiresAt is not long exp)
            {
                stdout.WriteLine($"not revoked: {result}");
                return 1;
            }

            (jti, until) = (id, DateTimeOffset.FromUnixTimeSeconds(exp) + config.ClockSkew);
        }
        else if (args.Positionals.Count == 0 && args.Optional("--jti") is string given)
        {
            string untilText = args.Required("--until");
            until = long.TryParse(untilText, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw new UsageException($"--until: '{untilText}' is not a Unix time");
            jti = given;
        }
        else
        {
            throw new UsageException("give a TOKEN, or --jti with --until");
        }

        using IRevocationStore store = OpenStore(config, clock);
        store.Revoke(jti, until);
        stdout.WriteLine($"revoked jti {jti} until {until:yyyy-MM-ddTHH:mm:ssZ}");
        return 0;
    }

    private static IRevocationStore OpenStore(TesseraConfig config, TimeProvider clock)
    {
        try
        {
            return RevocationStores.Open(config.RevocationStore, clock);
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
