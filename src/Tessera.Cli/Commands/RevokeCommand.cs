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
        usage: tessera revoke (TOKEN | --jti JTI --exp UNIXTIME | --subject SUB | --client ID | --all)
                              [--before UNIXTIME] [--config FILE | --store URI] [--now UNIXTIME]

        Writes to the deny list of revocation.store (--config) or of the store URI given
        (--store sqlite:PATH, redis://[USER:PASSWORD@]HOST:PORT[/DB], rediss://...,
        redis-sentinel://HOST:PORT[,HOST:PORT]/SERVICE):
          TOKEN              its jti, until its exp plus clock_skew; the token must be one this
                             issuer signed (checked against keys.dir, so it needs --config)
          --jti JTI --exp T  that jti, until T plus clock_skew (30s with --store)
          --subject SUB      every token of that subject issued (iat) before --before
          --client ID        every token of that client issued before --before
          --all              every token of the issuer issued before --before
          --before T         the cutoff (Unix seconds; default: now). A token whose iat equals
                             it is not refused
        A revoked jti drops off by itself after its time. Every validator refuses the token
        within revocation.max_staleness (a second for services on the same SQLite file).
        Exit 0 when written, 1 when TOKEN is not a valid token of this issuer, 2 when the store
        cannot be reached or the arguments are wrong.
        """;

    private static readonly string[] Modes = ["--jti", "--subject", "--client", "--all"];

    public static int Run(string[] argv, TextWriter stdout)
    {
        var args = new Args(argv, ["--config", "--store", "--jti", "--exp", "--subject", "--client", "--before", "--now"], ["--all"]);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        string? configPath = args.Optional("--config");
        string? storeText = args.Optional("--store");
        if ((configPath is null) == (storeText is null))
        {
            throw new UsageException("give --config FILE or --store URI (one of them)");
        }

        TesseraConfig? config = null;
        RevocationStoreUri? uri;
        try
        {
            config = configPath is null ? null : ConfigLoader.Load(configPath);
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }

        if (config is not null)
        {
            uri = config.RevocationStore;
        }
        else if (!RevocationStoreUri.TryParse(storeText, out uri, out string? problem))
        {
            throw new UsageException("--store: " + problem);
        }

        TimeProvider clock = args.Clock();
        TimeSpan skew = config?.ClockSkew ?? TimeSpan.FromSeconds(30);
        int modes = (args.Positionals.Count > 0 ? 1 : 0) + Modes.Count(args.Has);
        if (modes != 1 || args.Positionals.Count > 1)
        {
            throw new UsageException("give exactly one of TOKEN, --jti JTI --exp UNIXTIME, --subject SUB, --client ID or --all");
        }

        if (args.Has("--before") && (args.Positionals.Count > 0 || args.Has("--jti")))
        {
            throw new UsageException("--before goes with --subject, --client or --all");
        }

        if (args.Has("--exp") && !args.Has("--jti"))
        {
            throw new UsageException("--exp goes with --jti");
        }

        Func<IRevocationStore, string> write;
        if (args.Positionals.Count == 1)
        {
            if (config is null)
            {
                throw new UsageException("revoking a TOKEN needs --config (its signature is checked against keys.dir); or give --jti and --exp with --store");
            }

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

            write = store => RevokeJti(store, id, DateTimeOffset.FromUnixTimeSeconds(exp) + skew);
        }
        else if (args.Optional("--jti") is string jti)
        {
            DateTimeOffset until = UnixTime(args.Required("--exp"), "--exp") + skew;
            write = store => RevokeJti(store, jti, until);
        }
        else
        {
            DateTimeOffset before = args.Optional("--before") is string text ? UnixTime(text, "--before") : clock.GetUtcNow();
            (CutoffScope scope, string? id, string what) = args.Optional("--subject") is string sub ? (CutoffScope.Subject, sub, "subject " + sub)
                : args.Optional("--client") is string client ? (CutoffScope.Client, client, "client " + client)
                : (CutoffScope.Issuer, (string?)null, "the issuer");
            if (id is { Length: 0 })
            {
                throw new UsageException("--subject and --client need a non-empty value");
            }

            write = store =>
            {
                store.RevokeBefore(scope, id, before);
                return $"revoked every token of {what} issued before {before:yyyy-MM-ddTHH:mm:ssZ}";
            };
        }

        using IRevocationStore opened = Open(uri!, config, clock);
        try
        {
            stdout.WriteLine(write(opened));
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            throw new UsageException($"revocation store {uri}: {ex.Message}");
        }

        return 0;
    }

    private static string RevokeJti(IRevocationStore store, string jti, DateTimeOffset until)
    {
        store.Revoke(jti, until);
        return $"revoked jti {jti} until {until:yyyy-MM-ddTHH:mm:ssZ}";
    }

    private static DateTimeOffset UnixTime(string text, string flag) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new UsageException($"{flag}: '{text}' is not a Unix time");

    // The CLI writes to the store only: an issuer service on Redis journals what it syncs.
    private static IRevocationStore Open(RevocationStoreUri uri, TesseraConfig? config, TimeProvider clock)
    {
        try
        {
            return RevocationStores.Open(uri, clock, config?.RevocationMaxStaleness ?? TimeSpan.FromSeconds(5), journal: null, oneShot: true, writeOnly: true);
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
