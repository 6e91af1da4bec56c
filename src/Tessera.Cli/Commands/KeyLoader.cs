using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

        string json = jwks!.StartsWith("https://", StringComparison.Ordinal) || jwks.StartsWith("http://", StringComparison.Ordinal)
            ? await FetchAsync(new Uri(jwks), caCert)
            : BoundedRead.Text("--jwks", jwks);
        return Import("--jwks", jwks, () => KeySet.FromJwks(json, alg));
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

    // With --cacert the server certificate must chain to that certificate (e.g. the development
    // profile's self-signed one); otherwise the system trust store decides.
    private static async Task<string> FetchAsync(Uri uri, string? caCert)
    {
        using var handler = new HttpClientHandler();
        X509Certificate2? root = null;
        if (caCert is not null)
        {
            root = LoadCaCert(caCert);
            handler.ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
            {
                if (cert is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            };
        }

        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = BoundedRead.MaxBytes };
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
        finally
        {
            root?.Dispose();
        }
    }

    private static X509Certificate2 LoadCaCert(string path)
    {
        byte[] bytes = BoundedRead.Bytes("--cacert", path);
        try
        {
            return X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (CryptographicException)
        {
            throw new UsageException($"--cacert {path}: not a certificate (PEM or DER)");
        }
    }
}
