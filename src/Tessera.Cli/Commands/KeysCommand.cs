using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera keys import</c> (SPEC §3).</summary>
internal static class KeysCommand
{
    private const string Help = """
        usage: tessera keys import --keys DIR --private PEM [--alg ALG] [--now UNIXTIME]

        Adopts a private key made elsewhere, e.g. by
          openssl genpkey -algorithm RSA -out private.pem -pkeyopt rsa_keygen_bits:4096
          openssl genpkey -algorithm ed25519 -out private.pem
        Nothing is fixed silently: a PEM file readable or writable by group or others is
        refused (chmod 600 it first). In an empty directory the key is active at once;
        otherwise it becomes the next key. RSA keys default to RS256 (--alg PS256 etc.).
        """;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static int Run(string[] argv, TextWriter stdout)
    {
        if (argv.Length == 0 || argv[0] is "-h" or "--help")
        {
            stdout.Write(Help);
            return argv.Length == 0 ? 2 : 0;
        }

        if (argv[0] != "import")
        {
            throw new UsageException($"unknown keys subcommand '{argv[0]}' (expected import)");
        }

        var args = new Args(argv[1..], ["--keys", "--private", "--alg", "--now"], []);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        JwksCommand.NoPositionals(args);
        string file = args.Required("--private");
        if (!File.Exists(file))
        {
            throw new UsageException($"{file}: no such file");
        }

        UnixFileMode mode = File.GetUnixFileMode(file);
        if ((mode & GroupOrOther) != 0)
        {
            throw new UsageException($"{file} is accessible by group or others (mode {Convert.ToString((int)mode, 8)}); run 'chmod 600 {file}' and import again");
        }

        JwsAlgorithm? alg = args.Algorithm();

        using JwsKey key = JwsKey.ImportPem(File.ReadAllText(file), alg);
        DateTimeOffset now = args.Clock().GetUtcNow();
        StoredKey stored = KeyDirectories.Open(args.Required("--keys")).Import(key, now);
        string state = stored.Metadata.Activates <= now ? "active" : $"next, activates {stored.Metadata.Activates:yyyy-MM-ddTHH:mm:ssZ}";
        stdout.WriteLine($"{stored.Metadata.Kid} {stored.Key.Algorithm.Name} {state}");
        return 0;
    }
}
