// RFC 6749 §5.2 error responses: JSON {"error", "error_description"}, never a stack trace.
using Microsoft.AspNetCore.Http;

namespace Tessera.Server;

internal static class OAuthError
{
    public static IResult Of(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);

    /// <summary>invalid_client: 401 with a Basic challenge (RFC 6749 §5.2).</summary>
    public static IResult InvalidClient(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"tessera\", charset=\"UTF-8\"";
        return Of("invalid_client", "Client authentication failed", StatusCodes.Status401Unauthorized);
    }
}
