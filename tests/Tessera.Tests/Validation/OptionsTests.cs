using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Validation;

namespace Tessera.Tests.Validation;

public sealed class OptionsTests
{
    [Fact]
    public void Validator_ReportsEveryOptionProblemAtOnce()
    {
        var options = new ValidationOptions
        {
            Issuer = "",
            Audiences = [],
            Algorithms = [JwsAlgorithm.HS256, JwsAlgorithm.RS256],
            ClockSkew = TimeSpan.FromMinutes(10),
            RequiredClaims = RegisteredClaims.Subject,
        };
        var ex = Assert.Throws<ArgumentException>(() => new TokenValidator(options, new KeySet([])));
        Assert.Contains("Issuer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Audiences", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mixes HMAC", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClockSkew", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RequiredClaims", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreTheSpecDefaults()
    {
        var options = new ValidationOptions { Issuer = "i", Audiences = ["a"], Algorithms = [JwsAlgorithm.EdDSA] };
        Assert.Equal("at+jwt", options.Type);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(60), options.MaxLifetime);
        Assert.Equal(8192, options.MaxTokenSize);
        Assert.Equal(RegisteredClaims.Issuer | RegisteredClaims.Subject | RegisteredClaims.Audience
            | RegisteredClaims.Expiration | RegisteredClaims.IssuedAt | RegisteredClaims.JwtId, options.RequiredClaims);
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void Results_CarryTheSpecCodesAndMessages()
    {
        (ValidationError Error, string Code, string Message)[] table =
        [
            (ValidationError.Malformed, "malformed", "Malformed token"),
            (ValidationError.InvalidAlgorithm, "invalid_algorithm", "Invalid algorithm"),
            (ValidationError.UnknownKey, "unknown_key", "Unknown signing key"),
            (ValidationError.InvalidSignature, "invalid_signature", "Signature verification failed"),
            (ValidationError.InvalidType, "invalid_type", "Invalid token type"),
            (ValidationError.MissingClaim, "missing_claim", "Missing required claim"),
            (ValidationError.Expired, "expired", "Token expired"),
            (ValidationError.NotYetValid, "not_yet_valid", "Token not yet valid"),
            (ValidationError.LifetimeExceeded, "lifetime_exceeded", "Token lifetime exceeds policy"),
            (ValidationError.InvalidIssuer, "invalid_issuer", "Invalid issuer"),
            (ValidationError.InvalidAudience, "invalid_audience", "Invalid audience"),
            (ValidationError.Revoked, "revoked", "Token revoked"),
        ];
        Assert.Equal(Enum.GetValues<ValidationError>().Length - 1, table.Length);
        foreach ((ValidationError error, string code, string message) in table)
        {
            Assert.Equal(code, ValidationResult.CodeOf(error));
            Assert.Equal(message, ValidationResult.MessageOf(error));
        }
    }
}
