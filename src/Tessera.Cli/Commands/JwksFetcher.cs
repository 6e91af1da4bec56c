using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Tessera.Cli.Commands;

/// <summary>
/// Fetches the JWK Set of <c>--jwks URL</c> (docs/SPEC.md §3). Whoever controls the bytes
/// controls which tokens verify, so: https only; a redirect is followed by this code, not by the
/// handler, and only to the same origin (scheme, host, port), at most <see cref="MaxRedirects"/>
/// times; the body is read to at most 1 MiB; and every failure is a usage error naming the flag
/// and the URL, never a stack trace.
/// </summary>
internal static partial class JwksFetcher
{
    /// <summary>Redirects followed before giving up (a same-origin loop ends here too).</summary>
    public const int MaxRedirects = 3;

    private const string Flag = "--jwks";

    // One deadline for the whole fetch, every hop and the body included.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

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
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (root is not null)
        {
            handler.ServerCertificateCustomValidationCallback = (_, cert, _, errors) => ChainsTo(root, cert, errors);
        }

        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = BoundedRead.MaxBytes };
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            return (await FollowAsync(http, start, deadline.Token), Display(start));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw Fail(start, $"no answer within {Deadline.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            // A TLS failure's useful words are in the inner exception ("...UntrustedRoot").
            string why = ex.InnerException is AuthenticationException tls ? "TLS: " + tls.Message : ex.Message;
            throw Fail(start, why);
        }
        catch (IOException ex)
        {
            throw Fail(start, ex.Message);
        }
    }

    private static async Task<string> FollowAsync(HttpClient http, Uri start, CancellationToken cancel)
    {
        Uri current = start;
        for (int redirects = 0; ; redirects++)
        {
            using HttpResponseMessage response = await http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, cancel);
            if (IsRedirect(response.StatusCode))
            {
                if (redirects == MaxRedirects)
                {
                    throw Fail(start, $"more than {MaxRedirects} redirects");
                }

                current = NextHop(start, current, response);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                // The reason phrase is the server's text: only the number is printed.
                throw Fail(start, $"HTTP {(int)response.StatusCode}{At(start, current)}");
            }

            if (response.Content.Headers.ContentLength > BoundedRead.MaxBytes)
            {
                throw Fail(start, "body over 1 MiB");
            }

            await using Stream body = await response.Content.ReadAsStreamAsync(cancel);
            byte[] bytes = await BoundedRead.StreamAsync(body, cancel) ?? throw Fail(start, "body over 1 MiB");
            return BoundedRead.Decode(bytes);
        }
    }

    // The Location is resolved against the URL that answered, then must keep the origin of the
    // URL given: a redirect to another host, port or scheme (http:, file:, ...) is refused
    // before any connection to it.
    private static Uri NextHop(Uri start, Uri current, HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Location", out HeaderStringValues values)
            || values.Count != 1
            || !Uri.TryCreate(current, values.First(), out Uri? next)
            || !next.IsAbsoluteUri)
        {
            throw Fail(start, $"a redirect without a usable Location{At(start, current)}");
        }

        bool sameOrigin = next.Scheme == start.Scheme
            && string.Equals(next.IdnHost, start.IdnHost, StringComparison.OrdinalIgnoreCase)
            && next.Port == start.Port;
        return sameOrigin ? next : throw Fail(start, $"redirect to {Display(next)} refused: not the origin {Display(start, originOnly: true)}");
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

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

    // With --cacert the server certificate must chain to that certificate (e.g. the development
    // profile's self-signed one); otherwise the system trust store decides. Any error other
    // than the chain (a name mismatch, no certificate) still fails.
    private static bool ChainsTo(X509Certificate2 root, X509Certificate2? cert, SslPolicyErrors errors)
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

    // Where an answer came from, when a redirect moved it away from the URL given.
    private static string At(Uri start, Uri current) => current == start ? "" : $" (at {Display(current)})";

    private static UsageException Fail(Uri url, string why) => new($"{Flag} {Display(url)}: {BoundedRead.OneLine(why)}");

    // Printed without user:password@ (a URL may carry credentials; stderr ends up in logs), and
    // escaped by Uri, so a Location chosen by the server cannot put control characters on a
    // terminal.
    private static string Display(Uri uri, bool originOnly = false) =>
        uri.GetComponents(originOnly ? UriComponents.SchemeAndServer : UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex UrlStart();
}
