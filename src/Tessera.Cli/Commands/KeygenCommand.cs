using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera keygen</c> (SPEC.md §3, §5).</summary>
internal static class KeygenCommand
{
    private const string Help = """
        usage: tessera keygen --out DIR [--alg EdDSA|ES256|ES384|ES512|PS256|RS256|HS256|...]
                              [--bits 4096] [--now UNIXTIME]

        Makes a new key in DIR (created with mode 0700): the private key as PKCS#8 PEM with mode
        0600 (HMAC: a private JWK, 0600), the public key as SPKI PEM, and metadata. The kid is the
        RFC 7638 thumbprint. In an empty directory the key is active at once; beside an active key
        it becomes the next key, published 2 days before it starts signing.
          --alg ALG     algorithm (default EdDSA)
          --bits N      RSA modulus size (default 4096; 2048 to 8192)
        """;

    public static int Run(string[] argv, TextWriter stdout, TextWriter stderr)
    {
        var args = new Args(argv, ["--out", "--alg", "--bits", "--now"], []);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        JwksCommand.NoPositionals(args);
        JwsAlgorithm alg = args.Algorithm() ?? JwsAlgorithm.EdDSA;

        int bits = args.RsaBits() ?? 4096;

        if (alg.Family is AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss)
        {
            stderr.WriteLine($"generating an RSA-{bits} key (this can take a few seconds)...");
        }

        var dir = KeyDirectories.Open(args.Required("--out"));
        DateTimeOffset now = args.Clock().GetUtcNow();
        StoredKey key = dir.Generate(alg, bits, now);
        string state = key.Metadata.Activates <= now ? "active" : $"next, activates {key.Metadata.Activates:yyyy-MM-ddTHH:mm:ssZ}";
        stdout.WriteLine($"{key.Metadata.Kid} {alg.Name} {state}");
        return 0;
    }
}
