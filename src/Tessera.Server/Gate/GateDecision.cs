// docs/SPEC.md §9, tessera gate: one answer per request, for nginx auth_request, Envoy ext_authz
// (HTTP) and Traefik forwardAuth. Any method on any path:
//   200  valid token (with the needed scopes); X-Tessera-Subject, -Client-Id, -Scope, -Jti
//   401  no token ("Bearer"), or a refused one (error="invalid_token", the canonical message)
//   403  valid token without gate.required_scopes (error="insufficient_scope")
//   503  cannot decide (no usable keys, or the revocation list is stale under on_stale: refuse),
//        with Retry-After
// The proxy copies the X-Tessera-* headers to the upstream; the samples clear any that a client
// sent. Header values are claim text with every byte outside printable ASCII (and "%")
// percent-encoded, so a claim can never split or forge a header.
using System.Text;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore;
using Tessera.Validation;

namespace Tessera.Server.Gate;

internal sealed class GateDecision(Func<string, CancellationToken, ValueTask<ValidationResult?>> validate, IReadOnlyList<string> requiredScopes, GateMetrics metrics, Action<HttpContext, string>? refused, Action<HttpContext, TokenClaims>? acceptedStale = null)
{
    public const string Subject = "X-Tessera-Subject";
    public const string ClientId = "X-Tessera-Client-Id";
    public const string Scope = "X-Tessera-Scope";
    public const string Jti = "X-Tessera-Jti";

    public async Task AnswerAsync(HttpContext http)
    {
        HttpResponse response = http.Response;
        string? token = BearerHeaders.ReadToken(http.Request.Headers.Authorization, out bool malformed);
        if (malformed || token is null)
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = malformed ? BearerHeaders.MalformedToken : BearerHeaders.Missing;
            metrics.Count(malformed ? "malformed" : "missing");
            if (malformed)
            {
                refused?.Invoke(http, "malformed");
            }

            return;
        }

        ValidationResult? result = await validate(token, http.RequestAborted);
        if (result is not { } r || r.IsStaleRevocationRefusal)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.Headers.RetryAfter = "5";
            metrics.Count("undecided");
            return;
        }

        if (!r.IsValid)
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = BearerHeaders.InvalidToken(r);
            metrics.Count(r.Code);
            refused?.Invoke(http, r.Code);
            return;
        }

        TokenClaims claims = r.Claims!;
        if (requiredScopes.Count > 0 && !requiredScopes.All(claims.HasScope))
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            response.Headers.WWWAuthenticate = BearerHeaders.InsufficientScope(requiredScopes);
            metrics.Count("insufficient_scope");
            refused?.Invoke(http, "insufficient_scope");
            return;
        }

        if (r.RevocationStale)
        {
            acceptedStale?.Invoke(http, claims); // on_stale: accept: every such acceptance is logged
        }

        response.StatusCode = StatusCodes.Status200OK;
        Set(response, Subject, claims.Subject);
        Set(response, ClientId, claims.ClientId);
        Set(response, Scope, claims.Scope);
        Set(response, Jti, claims.JwtId);
        metrics.Count("valid");
    }

    private static void Set(HttpResponse response, string name, string? value)
    {
        if (value is not null)
        {
            response.Headers[name] = HeaderSafe(value);
        }
    }

    /// <summary>Printable ASCII and spaces as they are; '%' and every other UTF-8 byte as %XX.</summary>
    internal static string HeaderSafe(string value)
    {
        if (!value.AsSpan().ContainsAnyExceptInRange(' ', '~') && !value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var text = new StringBuilder(value.Length * 3);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= 0x20 and <= 0x7E && b != '%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
