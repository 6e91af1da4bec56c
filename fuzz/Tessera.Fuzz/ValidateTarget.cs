// Target "validate": the whole pipeline of TokenValidator on untrusted input (SPEC.md §2).
// Property: Validate never throws, for any input; it answers with a ValidationResult. The
// overloads must agree: Validate(string) on a fresh validator, the same again (a valid token
// is then answered from the verified-token cache) and Validate(ReadOnlySpan<char>) on a
// validator without a cache give the same error. A disagreement or an exception is a finding.
using System.Text;
using Tessera.Validation;

namespace Tessera.Fuzz;

internal static class ValidateTarget
{
    private static readonly ValidationOptions AsymmetricNoCache = Fixture.AsymmetricOptions with { CacheSize = 0 };
    private static readonly ValidationOptions HmacNoCache = Fixture.HmacOptions with { CacheSize = 0 };

    public static void Run(byte[] input)
    {
        // Invalid UTF-8 becomes U+FFFD: non-ASCII input still reaches the validator.
        string token = Encoding.UTF8.GetString(input);
        Check(token, Fixture.AsymmetricOptions, AsymmetricNoCache, Fixture.AsymmetricKeys);
        Check(token, Fixture.HmacOptions, HmacNoCache, Fixture.HmacKeys);
    }

    /// <summary>What the two validators answer, for the explain mode (checking a seed).</summary>
    public static string Explain(byte[] input)
    {
        string token = Encoding.UTF8.GetString(input);
        ValidationResult asymmetric = new TokenValidator(AsymmetricNoCache, Fixture.AsymmetricKeys, Fixture.Clock, Fixture.Revocations).Validate(token);
        ValidationResult hmac = new TokenValidator(HmacNoCache, Fixture.HmacKeys, Fixture.Clock, Fixture.Revocations).Validate(token);
        return $"asymmetric: {Describe(asymmetric)} | hmac: {Describe(hmac)}";
    }

    private static string Describe(ValidationResult result) =>
        result.IsValid ? $"valid ({result.Key!.KeyId})" : result.Detail is null ? result.Code : $"{result.Code} ({result.Detail})";

    private static void Check(string token, ValidationOptions cached, ValidationOptions uncached, Keys.KeySet keys)
    {
        // Fresh validators each time: a cache filled by earlier inputs would make the outcome
        // depend on the history of the process, not on this input.
        var withCache = new TokenValidator(cached, keys, Fixture.Clock, Fixture.Revocations);
        var withoutCache = new TokenValidator(uncached, keys, Fixture.Clock, Fixture.Revocations);

        ValidationResult first = withCache.Validate(token);
        ValidationResult again = withCache.Validate(token);
        ValidationResult span = withoutCache.Validate(token.AsSpan());

        if (first.Error != again.Error || first.Error != span.Error)
        {
            throw new InvalidOperationException(
                $"Finding: the overloads disagree: Validate(string) {first.Error}, again (cache) {again.Error}, Validate(span) {span.Error}");
        }

        if (first.IsValid != (first.Error == ValidationError.None) || (first.IsValid && (first.Key is null || !keys.Contains(first.Key))))
        {
            throw new InvalidOperationException($"Finding: inconsistent result {first.Error} (claims {first.Claims is not null}, key {first.Key?.KeyId})");
        }
    }
}
