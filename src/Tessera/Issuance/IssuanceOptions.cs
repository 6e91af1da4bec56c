using Tessera.Jose;

namespace Tessera.Issuance;

/// <summary>The issuing policy (SPEC.md §1, §4): a small immutable record checked when used.</summary>
public sealed record IssuanceOptions
{
    /// <summary>Shortest allowed token lifetime.</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);

    /// <summary>Longest allowed token lifetime.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(60);

    /// <summary>The <c>iss</c> of every token.</summary>
    public required string Issuer { get; init; }

    /// <summary>Default lifetime (15 min; 1–60 min).</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The header <c>typ</c>: <c>at+jwt</c> (RFC 9068), or <c>JWT</c> for older validators.</summary>
    public string Type { get; init; } = JwtTypes.AccessToken;

    /// <summary>Largest token the issuer will emit, in bytes (default 8 KiB).</summary>
    public int MaxTokenSize { get; init; } = TokenSize.Default;

    /// <summary>Every problem with these options; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(Issuer))
        {
            problems.Add("Issuer is required");
        }

        if (Lifetime < MinLifetime || Lifetime > MaxLifetime)
        {
            problems.Add("Lifetime must be between 1 and 60 minutes");
        }

        if (!JwtTypes.IsIssuable(Type))
        {
            problems.Add("Type must be at+jwt or JWT");
        }

        if (MaxTokenSize is < TokenSize.Min or > TokenSize.Max)
        {
            problems.Add("MaxTokenSize must be between 256 bytes and 64 KiB");
        }

        return problems;
    }
}
