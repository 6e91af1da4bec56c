// RFC 6750 on the wire: reading "Authorization: Bearer <token>" and writing the challenges of
// docs/SPEC.md §2 (error_description is the canonical message, never detail or token text).
using Microsoft.Extensions.Primitives;
using Tessera.Validation;

namespace Tessera.AspNetCore;

/// <summary>RFC 6750 request and challenge headers, shared by the handler and <c>tessera gate</c>.</summary>
public static class BearerHeaders
{
    /// <summary>The challenge for a request without a token.</summary>
    public const string Missing = "Bearer";

    /// <summary>
    /// Reads the token of an <c>Authorization</c> header. Null with <paramref name="malformed"/>
    /// false when there is no bearer token at all (no header, or another scheme); null with
    /// <paramref name="malformed"/> true when the header cannot be one (sent twice, empty token,
    /// characters outside RFC 6750's b64token).
    /// </summary>
    public static string? ReadToken(StringValues authorization, out bool malformed)
    {
        malformed = false;
        if (authorization.Count == 0)
        {
            return null;
        }

        if (authorization.Count > 1)
        {
            malformed = true;
            return null;
        }

        string value = authorization[0] ?? "";
        const string Scheme = "Bearer";
        if (value.Length < Scheme.Length || !value.AsSpan(0, Scheme.Length).Equals(Scheme, StringComparison.OrdinalIgnoreCase)
            || (value.Length > Scheme.Length && value[Scheme.Length] != ' '))
        {
            return null;
        }

        ReadOnlySpan<char> token = value.AsSpan(Scheme.Length).Trim(' ');
        if (token.IsEmpty || token.ContainsAnyExcept(B64Token))
        {
            malformed = true;
            return null;
        }

        return token.ToString();
    }

    /// <summary>The 401 challenge for a refused token: <c>Bearer error="invalid_token", error_description="..."</c>.</summary>
    public static string InvalidToken(ValidationResult result) =>
        $"Bearer error=\"invalid_token\", error_description=\"{Quote(result.Message)}\"";

    /// <summary>The 401 challenge for a token that is not one at all (<see cref="ValidationError.Malformed"/>).</summary>
    public static string MalformedToken => $"Bearer error=\"invalid_token\", error_description=\"{ValidationResult.MessageOf(ValidationError.Malformed)}\"";

    /// <summary>The 403 challenge for a token without the scopes needed.</summary>
    public static string InsufficientScope(IEnumerable<string> scopes) =>
        $"Bearer error=\"insufficient_scope\", error_description=\"Insufficient scope\", scope=\"{Quote(string.Join(' ', scopes))}\"";

    // RFC 6750 §2.1 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/", then "="s.
    private static readonly System.Buffers.SearchValues<char> B64Token =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=");

    private static string Quote(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
