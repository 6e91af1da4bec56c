// One GET of key material or metadata over HTTPS (docs/SPEC.md §3 and §9). Whoever controls the
// bytes controls which tokens verify, so: https only; redirects are followed here, not by the
// handler, and only to the same origin (scheme, host, port), at most MaxRedirects times; the body
// is read to at most 1 MiB; one deadline covers every hop and the body.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tessera.Jwks;

internal sealed record HttpsAnswer(bool NotModified, string? Body, string? ETag, TimeSpan? MaxAge);

internal static class HttpsGet
{
    public const int MaxBytes = 1 << 20;
    public const int MaxRedirects = 3;

    /// <summary>An HttpClient that follows no redirect by itself; <paramref name="root"/> replaces the system trust store.</summary>
    public static HttpClient CreateClient(X509Certificate2? root)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (root is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) => ChainsTo(root, cert as X509Certificate2, errors);
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxBytes };
    }

    /// <summary>Throws <see cref="JwksException"/> unless <paramref name="uri"/> is an absolute https URL with a host.</summary>
    public static Uri RequireHttps(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.Host))
        {
            throw new JwksException($"{uri.OriginalString}: not an absolute URL");
        }

        return uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new JwksException($"{Display(uri)}: only https: URLs are fetched");
    }

    public static async Task<HttpsAnswer> GetAsync(HttpClient http, Uri start, string? etag, TimeSpan deadline, CancellationToken cancel)
    {
        RequireHttps(start);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(deadline);
        try
        {
            return await FollowAsync(http, start, etag, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            throw Fail(start, $"no answer within {deadline.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            // A TLS failure's useful words are in the inner exception ("...UntrustedRoot").
            throw Fail(start, ex.InnerException is AuthenticationException tls ? "TLS: " + tls.Message : ex.Message);
        }
        catch (IOException ex)
        {
            throw Fail(start, ex.Message);
        }
    }

    /// <summary>A URL as messages print it: without user:password@, escaped.</summary>
    public static string Display(Uri uri, bool originOnly = false) =>
        uri.GetComponents(originOnly ? UriComponents.SchemeAndServer : UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    private static async Task<HttpsAnswer> FollowAsync(HttpClient http, Uri start, string? etag, CancellationToken cancel)
    {
        Uri current = start;
        for (int redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (etag is not null && EntityTagHeaderValue.TryParse(etag, out EntityTagHeaderValue? tag))
            {
                request.Headers.IfNoneMatch.Add(tag);
            }

            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            if (IsRedirect(response.StatusCode))
            {
                if (redirects == MaxRedirects)
                {
                    throw Fail(start, $"more than {MaxRedirects} redirects");
                }

                current = NextHop(start, current, response);
                continue;
            }

            TimeSpan? maxAge = response.Headers.CacheControl is { } cc && (cc.NoStore || cc.NoCache) ? TimeSpan.Zero : response.Headers.CacheControl?.MaxAge;
            string? newTag = response.Headers.ETag?.ToString();
            if (response.StatusCode == HttpStatusCode.NotModified && etag is not null)
            {
                return new HttpsAnswer(true, null, newTag ?? etag, maxAge);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                // The reason phrase is the server's text: only the number is printed.
                throw Fail(start, $"HTTP {(int)response.StatusCode}{At(start, current)}");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                throw Fail(start, "body over 1 MiB");
            }

            Stream body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                byte[] buffer = new byte[MaxBytes + 1];
                int read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancel).ConfigureAwait(false);
                if (read > MaxBytes)
                {
                    throw Fail(start, "body over 1 MiB");
                }

                return new HttpsAnswer(false, Decode(buffer.AsSpan(0, read)), newTag, maxAge);
            }
        }
    }

    // UTF-8 without a leading BOM; invalid bytes become U+FFFD and fail the JSON reader.
    private static string Decode(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes);

    // The Location is resolved against the URL that answered, then must keep the origin of the
    // URL given: a redirect to another host, port or scheme is refused before any connection.
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

    // With a private root the server certificate must chain to it; any error other than the chain
    // (a name mismatch, no certificate) still fails.
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

    private static string At(Uri start, Uri current) => current == start ? "" : $" (at {Display(current)})";

    private static JwksException Fail(Uri url, string why) =>
        new($"{Display(url)}: {string.Join(' ', why.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}");
}
