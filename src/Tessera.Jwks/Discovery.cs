// RFC 8414: an authority's metadata names its jwks_uri. The metadata's "issuer" must be the
// authority itself (§3.3), or a man in the middle of one issuer could point validators at
// another's keys; jwks_uri must be https. OpenID Connect Discovery's path is the fallback.
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Tessera.Jwks;

/// <summary>Finds an authority's JWKS URL from its metadata.</summary>
public static class Discovery
{
    /// <summary>
    /// The <c>jwks_uri</c> of <paramref name="authority"/> (its issuer identifier), read from
    /// <c>/.well-known/oauth-authorization-server</c> (or <c>openid-configuration</c>).
    /// Throws <see cref="JwksException"/> when neither answers, or the metadata names another issuer.
    /// </summary>
    public static async Task<Uri> FindJwksUriAsync(Uri authority, X509Certificate2? trustedRoot = null, CancellationToken cancel = default)
    {
        HttpsGet.RequireHttps(authority);
        using HttpClient http = HttpsGet.CreateClient(trustedRoot);
        string issuer = authority.OriginalString.TrimEnd('/');
        string path = authority.AbsolutePath.TrimEnd('/');
        string origin = authority.GetLeftPart(UriPartial.Authority);
        Uri[] candidates = [new(origin + "/.well-known/oauth-authorization-server" + path), new(issuer + "/.well-known/openid-configuration")];
        JwksException? last = null;
        foreach (Uri metadata in candidates)
        {
            try
            {
                HttpsAnswer answer = await HttpsGet.GetAsync(http, metadata, null, TimeSpan.FromSeconds(10), cancel).ConfigureAwait(false);
                return Read(answer.Body ?? "", issuer, metadata);
            }
            catch (JwksException ex) when (ex.Message.Contains("HTTP 404", StringComparison.Ordinal))
            {
                last = ex;
            }
        }

        throw last!;
    }

    private static Uri Read(string json, string issuer, Uri source)
    {
        string where = HttpsGet.Display(source);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
            JsonElement root = doc.RootElement;
            string? named = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("issuer", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            if (named?.TrimEnd('/') != issuer)
            {
                throw new JwksException($"{where}: the metadata's issuer is not {issuer}");
            }

            string? jwks = root.TryGetProperty("jwks_uri", out JsonElement j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
            return jwks is not null && Uri.TryCreate(jwks, UriKind.Absolute, out Uri? uri)
                ? HttpsGet.RequireHttps(uri)
                : throw new JwksException($"{where}: no usable jwks_uri");
        }
        catch (JsonException)
        {
            throw new JwksException($"{where}: not a JSON object");
        }
    }
}
