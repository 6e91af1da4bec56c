using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary>Reads the verification keys named by <c>--jwks FILE|URL</c> or <c>--key FILE</c>.</summary>
internal static class KeyLoader
{
    public static async Task<KeySet> LoadAsync(string? jwks, string? keyFile, JwsAlgorithm? alg, string? caCert = null)
    {
        if ((jwks is null) == (keyFile is null))
        {
            throw new UsageException("give exactly one of --jwks FILE|URL or --key PEMFILE");
        }

        if (keyFile is not null)
        {
            string text = BoundedRead.Text("--key", keyFile);
            JwsKey key = Import("--key", keyFile, () => text.TrimStart().StartsWith('{') ? JwsKey.ImportJwk(text, alg) : JwsKey.ImportPem(text, alg));
            return new KeySet([key]);
        }

        (string json, string source) = JwksFetcher.IsUrl(jwks!)
            ? await JwksFetcher.FetchAsync(jwks!, caCert)
            : (BoundedRead.Text("--jwks", jwks!), jwks!);
        return Import("--jwks", source, () => KeySet.FromJwks(json, alg));
    }

    // The library's message says what is wrong with the key material (never the material
    // itself); this adds which flag and which file or URL it came from.
    private static T Import<T>(string flag, string source, Func<T> import)
    {
        try
        {
            return import();
        }
        catch (KeyException ex)
        {
            throw new UsageException($"{flag} {source}: {BoundedRead.OneLine(ex.Message)}");
        }
    }
}
