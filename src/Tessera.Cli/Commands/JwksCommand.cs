
namespace Tessera.Cli.Commands;

/// <summary><c>tessera jwks</c> (SPEC.md §3).</summary>
internal static class JwksCommand
{
    private const string Help = """
        usage: tessera jwks --keys DIR [--now UNIXTIME]

        Prints the public JWK Set (RFC 7517) of the keys that should be published at that
        moment: the next, active and retiring keys. HMAC secrets are never printed.
        """;

    public static int Run(string[] argv, TextWriter stdout)
    {
        var args = new Args(argv, ["--keys", "--now"], []);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        NoPositionals(args);
        var dir = KeyDirectories.Open(args.Required("--keys"));
        stdout.WriteLine(dir.PublishedAt(args.Clock().GetUtcNow()).ToJwks());
        return 0;
    }

    internal static void NoPositionals(Args args)
    {
        if (args.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        }
    }
}
