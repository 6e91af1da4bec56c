using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Tessera.Jwks;

namespace Tessera.Cli.Commands;

/// <summary>
/// Fetches the JWK Set of <c>--jwks URL</c> (docs/SPEC.md §3) through Tessera.Jwks, the fetch path
/// resource servers use: https only; redirects only to the same origin, at most 3; at most 1 MiB;
/// one 10-second deadline. Every failure is a usage error naming the flag and the URL, never a
/// stack trace.
/// </summary>
internal static partial class JwksFetcher
{
    private const string Flag = "--jwks";

    /// <summary>
    /// True when <paramref name="value"/> starts with <c>scheme://</c>: then it names a URL, and
    /// any scheme but https is refused rather than read as a file name.
    /// </summary>
    public static bool IsUrl(string value) => UrlStart().IsMatch(value);

    /// <summary>
    /// The body of <paramref name="url"/> as text, and the URL as messages print it;
    /// <paramref name="caCert"/> replaces the system trust store.
    /// </summary>
    public static async Task<(string Body, string Source)> FetchAsync(string url, string? caCert)
    {
        Uri start = Parse(url);
        using X509Certificate2? root = caCert is null ? null : LoadCaCert(caCert);
        try
        {
            // One fetch path for the CLI and resource servers (Tessera.Jwks): same-origin
            // redirects only, 1 MiB, one 10-second deadline.
            return (await JwksClient.DownloadAsync(start, root), Display(start));
        }
        catch (JwksException ex)
        {
            throw new UsageException($"{Flag} {ex.Message}");
        }
    }

    private static Uri Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            throw new UsageException($"{Flag} {url}: not a valid URL");
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new UsageException($"{Flag} {Display(uri)}: only https: URLs are fetched (give a key set file as a path)");
        }

        return string.IsNullOrEmpty(uri.Host) ? throw new UsageException($"{Flag} {url}: not a valid URL") : uri;
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

    // Printed without user:password@ (a URL may carry credentials; stderr ends up in logs), and
    // escaped by Uri, so a Location chosen by the server cannot put control characters on a
    // terminal.
    private static string Display(Uri uri, bool originOnly = false) =>
        uri.GetComponents(originOnly ? UriComponents.SchemeAndServer : UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex UrlStart();
}
