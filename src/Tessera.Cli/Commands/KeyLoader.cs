using Tessera.Algorithms;
using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary>Reads the verification keys named by <c>--jwks FILE|URL</c> or <c>--key FILE</c>.</summary>
internal static class KeyLoader
{
    private const int MaxBytes = 1 << 20;

    public static async Task<KeySet> LoadAsync(string? jwks, string? keyFile, JwsAlgorithm? alg)
    {
        if ((jwks is null) == (keyFile is null))
        {
            throw new UsageException("give exactly one of --jwks FILE|URL or --key PEMFILE");
        }

        if (keyFile is not null)
        {
            string text = ReadFile(keyFile);
            JwsKey key = text.TrimStart().StartsWith('{') ? JwsKey.ImportJwk(text, alg) : JwsKey.ImportPem(text, alg);
            return new KeySet([key]);
        }

        string json = jwks!.StartsWith("https://", StringComparison.Ordinal) || jwks.StartsWith("http://", StringComparison.Ordinal)
            ? await FetchAsync(new Uri(jwks))
            : ReadFile(jwks);
        return KeySet.FromJwks(json, alg);
    }

    private static string ReadFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UsageException($"{path}: no such file");
        }

        return info.Length > MaxBytes ? throw new UsageException($"{path}: over 1 MiB") : File.ReadAllText(path);
    }

    private static async Task<string> FetchAsync(Uri uri)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = MaxBytes };
        try
        {
            return await http.GetStringAsync(uri);
        }
        catch (HttpRequestException ex)
        {
            throw new UsageException($"{uri}: {ex.Message}");
        }
        catch (TaskCanceledException)
        {
            throw new UsageException($"{uri}: timed out");
        }
    }
}
