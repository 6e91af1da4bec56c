// The authentication handler of AddTesseraBearer: docs/SPEC.md §2 and §9 over HTTP.
//   no bearer token         → no result; a challenge answers 401 "Bearer"
//   refused token           → 401 Bearer error="invalid_token", error_description="<message>"
//   cannot decide (no keys, or a stale deny list under on_stale: refuse)
//                           → 503 with Retry-After, never 401 or 200
//   valid token             → HttpContext.User with the token's claims, names as in the token
//   missing scope           → 403 Bearer error="insufficient_scope" (RequireScope)
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Jwks;
using Tessera.Validation;

namespace Tessera.AspNetCore;

internal sealed class TesseraBearerHandler(
    IOptionsMonitor<TesseraBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder, EdgeValidators validators)
    : AuthenticationHandler<TesseraBearerOptions>(options, logger, encoder)
{
    private const string Undecided = "tessera.undecided";

    private static readonly Action<ILogger, string?, string?, Exception?> AcceptedStale = LoggerMessage.Define<string?, string?>(
        LogLevel.Warning, new EventId(1, "StaleRevocationAccepted"), "Token {Jti} of {Subject} accepted while the revocation list was stale");
    private const string Refusal = "tessera.refusal";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = BearerHeaders.ReadToken(Request.Headers.Authorization, out bool malformed);
        if (malformed)
        {
            Context.Items[Refusal] = BearerHeaders.MalformedToken;
            return AuthenticateResult.Fail(ValidationResult.MessageOf(ValidationError.Malformed));
        }

        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        EdgeValidator? validator = await validators.GetAsync(Scheme.Name, Options, Context.RequestAborted);
        ValidationResult? result = validator is null ? null : await validator.ValidateAsync(token, Context.RequestAborted);
        if (result is null || result.Value.IsStaleRevocationRefusal)
        {
            Context.Items[Undecided] = true;
            return AuthenticateResult.Fail("The token cannot be checked now: no usable keys");
        }

        if (!result.Value.IsValid)
        {
            Context.Items[Refusal] = BearerHeaders.InvalidToken(result.Value);
            return AuthenticateResult.Fail(result.Value.Message);
        }

        if (result.Value.RevocationStale)
        {
            // AcceptStaleRevocations: every acceptance without a current deny list is logged.
            AcceptedStale(Logger, result.Value.Claims!.JwtId, result.Value.Claims.Subject, null);
        }

        var identity = new ClaimsIdentity(Claims(result.Value.Claims!), Scheme.Name, "sub", "roles");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(Undecided))
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "5";
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Context.Items[Refusal] as string ?? BearerHeaders.Missing;
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (Context.Items[ScopeRequirement.MissingKey] is IReadOnlyList<string> scopes)
        {
            Response.Headers.WWWAuthenticate = BearerHeaders.InsufficientScope(scopes);
        }

        return Task.CompletedTask;
    }

    // Every claim of the token, under its own name: strings as they are, numbers and booleans as
    // their JSON text, arrays as one claim per element, objects as their JSON text.
    private static List<Claim> Claims(TokenClaims claims)
    {
        var list = new List<Claim>();
        var reader = new Utf8JsonReader(claims.Utf8Json);
        using JsonDocument doc = JsonDocument.ParseValue(ref reader);
        foreach (JsonProperty member in doc.RootElement.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Array)
            {
                list.AddRange(member.Value.EnumerateArray().Select(item => Claim(member.Name, item)));
            }
            else
            {
                list.Add(Claim(member.Name, member.Value));
            }
        }

        return list;
    }

    private static Claim Claim(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => new Claim(name, value.GetString()!),
        JsonValueKind.Number => new Claim(name, value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double),
        JsonValueKind.True or JsonValueKind.False => new Claim(name, value.GetRawText(), ClaimValueTypes.Boolean),
        _ => new Claim(name, value.GetRawText(), "JSON"),
    };
}
