// GlobalSetup guards: a benchmark that measures a refusal is worthless, so every participant
// must accept the token once before anything is timed.
using Microsoft.IdentityModel.Tokens;
using Tessera.Validation;

namespace Tessera.Bench;

internal static class Checks
{
    public static void Require(bool ok, Fixture f, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{f.Name}: {what} failed");
        }
    }

    public static void Require(ValidationResult result, Fixture f)
    {
        if (!result.IsValid || result.Claims!.Subject != Fixture.Subject)
        {
            throw new InvalidOperationException($"{f.Name}: Tessera refused the token: {result}");
        }
    }

    public static void Require(TokenValidationResult result, Fixture f)
    {
        if (!result.IsValid || !Equals(result.Claims["sub"], Fixture.Subject))
        {
            throw new InvalidOperationException($"{f.Name}: JsonWebTokenHandler refused the token", result.Exception);
        }
    }

    public static void RequireJose(string payload, Fixture f)
    {
        if (!payload.Contains("\"sub\":\"" + Fixture.Subject + "\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{f.Name}: jose-jwt did not return the payload: {payload}");
        }
    }
}
