using Tessera.Algorithms;
using Tessera.Server.Configuration;
using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera rotate</c> (SPEC §3, §5).</summary>
internal static class RotateCommand
{
    private const string Help = """
        usage: tessera rotate --keys DIR [--alg ALG] [--bits N] [--config FILE] [--now UNIXTIME]
               tessera rotate --keys DIR --retire KID [--now UNIXTIME]

        Moves the key lifecycle forward (next -> active -> retiring -> retired). Idempotent: run
        it from a timer as often as you like. On an empty directory it creates the first key,
        active at once, and always keeps one next key published ahead of its activation.
          --alg ALG        algorithm of new keys (default: signing_alg of --config, else EdDSA)
          --bits N         RSA size for new RSA keys (default 4096)
          --config FILE    take rotate_every, prepublish, max_token_lifetime and clock_skew
                           from auth.json (defaults: 30d, 2d, 60m, 30s)
          --retire KID     EMERGENCY: retire KID now (it leaves the JWKS at once); if it was
                           the active key, the next key (or a new one) starts signing now
        """;

    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new Args(argv, ["--keys", "--alg", "--bits", "--config", "--now", "--retire"], []);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        JwksCommand.NoPositionals(args);
        TesseraConfig? config = null;
        if (args.Optional("--config") is string configPath)
        {
            try
            {
                config = ConfigLoader.Load(configPath);
            }
            catch (ConfigException ex)
            {
                throw new UsageException(ex.Message);
            }
        }

        JwsAlgorithm alg = args.Algorithm() ?? config?.SigningAlg ?? JwsAlgorithm.EdDSA;
        int bits = args.RsaBits() ?? config?.RsaBits ?? 4096;

        KeyDirectory dir = KeyDirectories.Open(args.Required("--keys"), config?.Schedule);
        if (alg.Family is AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss)
        {
            stderr.WriteLine($"new keys are RSA-{bits}: generating one can take a few seconds...");
        }

        DateTimeOffset now = args.Clock().GetUtcNow();
        RotationPlan plan = args.Optional("--retire") is string kid
            ? dir.Retire(kid, alg, bits, now)
            : dir.Rotate(alg, bits, now);
        foreach (string note in plan.Notes)
        {
            (note.StartsWith("EMERGENCY", StringComparison.Ordinal) ? stderr : stdout).WriteLine(note);
        }

        if (plan.IsEmpty && plan.Notes.Count == 0)
        {
            stdout.WriteLine("nothing to do");
        }

        return 0;
    }
}
