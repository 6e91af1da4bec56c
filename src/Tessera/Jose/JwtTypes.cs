// The header "typ" values Tessera emits and expects: RFC 9068 §2.1 names "at+jwt" for access
// tokens; "JWT" (RFC 7519 §5.1) remains for validators that predate RFC 9068, and is what
// client assertions (RFC 7523) carry when they carry a typ at all.
namespace Tessera.Jose;

/// <summary>The <c>typ</c> header values of SPEC §1.</summary>
public static class JwtTypes
{
    /// <summary><c>at+jwt</c>: an OAuth 2.0 access token (RFC 9068 §2.1). The default.</summary>
    public const string AccessToken = "at+jwt";

    /// <summary><c>JWT</c>: a plain JWT (RFC 7519 §5.1).</summary>
    public const string Jwt = "JWT";

    /// <summary>True for the two values an issuer may put in <c>typ</c>.</summary>
    public static bool IsIssuable(string? typ) => typ is AccessToken or Jwt;
}
