using Tessera.Keys;
using Tessera.Validation;

namespace Tessera.Tests.Attacks;

/// <summary>
/// One row of the attack table (docs/ATTACKS.md): an attack id, its name, what the row
/// asserts, and a builder that makes the concrete cases (tokens signed with real keys, key loads,
/// or a structural check where a single token cannot show the property).
/// </summary>
public sealed record AttackRow(string Id, string Name, string Asserts, Func<RowContext, IEnumerable<AttackCase>> Build)
{
    /// <summary>The row's name in the test runner: id and attack name.</summary>
    public string DisplayName => Id + " " + Name;

    public override string ToString() => DisplayName;
}

/// <summary>What a row builder may need from the running test.</summary>
public sealed record RowContext(ITestOutputHelper Output);

/// <summary>One concrete variant of an attack row.</summary>
public abstract record AttackCase(string Label);

/// <summary>
/// A token through <see cref="TokenValidator.Validate(string?)"/>; the exact code is asserted.
/// <c>Before</c> runs first (a key-set change, a first use) and is part of the case.
/// </summary>
public sealed record TokenCase(string Label, TokenValidator Validator, string? Token, ValidationError Expected, Action? Before = null)
    : AttackCase(Label);

/// <summary>A token through the JWS layer only (steps 1–4, payload opaque).</summary>
public sealed record JwsLayerCase(string Label, TokenValidator Validator, string Token, ValidationError Expected)
    : AttackCase(Label);

/// <summary>A key or key set load that must throw <see cref="KeyException"/>.</summary>
public sealed record KeyLoadCase(string Label, Action Load) : AttackCase(Label);

/// <summary>A structural property checked directly (it throws when the property does not hold).</summary>
public sealed record PropertyCase(string Label, Action Check) : AttackCase(Label);

/// <summary>Runs the cases of a row and collects every failure, so one run lists them all.</summary>
public static class AttackRunner
{
    /// <summary>Shortest token segment looked for in a result's detail (shorter ones match ordinary words).</summary>
    public const int MinEchoLength = 6;

    public sealed record Outcome(int Cases, IReadOnlyList<string> Failures);

    public static Outcome Run(AttackRow row, ITestOutputHelper output)
    {
        var failures = new List<string>();
        int count = 0;
        foreach (AttackCase c in row.Build(new RowContext(output)))
        {
            count++;
            string? failure = c switch
            {
                TokenCase t => RunToken(t),
                JwsLayerCase j => RunJws(j),
                KeyLoadCase k => RunKeyLoad(k),
                PropertyCase p => RunProperty(p),
                _ => "unknown case kind " + c.GetType().Name,
            };
            if (failure is not null)
            {
                failures.Add($"{row.Id} [{c.Label}]: {failure}");
            }
        }

        if (count == 0)
        {
            failures.Add(row.Id + ": the row built no cases");
        }

        return new Outcome(count, failures);
    }

    /// <summary>The detail may name a claim or a kid; it never carries the token or a segment of it.</summary>
    public static string? EchoOf(string? token, ValidationResult result)
    {
        string? detail = result.Detail;
        if (detail is null || string.IsNullOrEmpty(token))
        {
            return null;
        }

        if (token.Length >= MinEchoLength && detail.Contains(token, StringComparison.Ordinal))
        {
            return "detail contains the whole token";
        }

        foreach (string segment in token.Split('.'))
        {
            if (segment.Length >= MinEchoLength && detail.Contains(segment, StringComparison.Ordinal))
            {
                return "detail contains a token segment: " + Shorten(detail);
            }
        }

        return null;
    }

    private static string? RunToken(TokenCase t)
    {
        try
        {
            t.Before?.Invoke();
            ValidationResult result = t.Validator.Validate(t.Token);
            if (result.Error != t.Expected)
            {
                return $"expected {Code(t.Expected)}, got {Code(result.Error)} ({Shorten(result.ToString())})";
            }

            if (t.Expected == ValidationError.None && (!result.IsValid || result.Claims is null))
            {
                return "expected a valid result with claims";
            }

            if (t.Expected != ValidationError.None && result.IsValid)
            {
                return "refusal reported IsValid";
            }

            return EchoOf(t.Token, result);
        }
        catch (Exception ex)
        {
            return "threw " + ex.GetType().Name + ": " + Shorten(ex.Message);
        }
    }

    private static string? RunJws(JwsLayerCase j)
    {
        try
        {
            ValidationError error = j.Validator.VerifyJwsOnly(j.Token);
            return error == j.Expected ? null : $"JWS layer: expected {Code(j.Expected)}, got {Code(error)}";
        }
        catch (Exception ex)
        {
            return "threw " + ex.GetType().Name + ": " + Shorten(ex.Message);
        }
    }

    private static string? RunKeyLoad(KeyLoadCase k)
    {
        try
        {
            k.Load();
            return "loaded without KeyException";
        }
        catch (KeyException)
        {
            return null;
        }
        catch (Exception ex)
        {
            return "threw " + ex.GetType().Name + " instead of KeyException: " + Shorten(ex.Message);
        }
    }

    private static string? RunProperty(PropertyCase p)
    {
        try
        {
            p.Check();
            return null;
        }
        catch (Exception ex)
        {
            return ex.GetType().Name + ": " + Shorten(ex.Message);
        }
    }

    private static string Code(ValidationError error) => ValidationResult.CodeOf(error);

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
