namespace Tessera.Validation;

/// <summary>What <see cref="TokenInspector"/> found in a token it did not verify.</summary>
/// <param name="Header">The decoded header JSON, when it decodes.</param>
/// <param name="Claims">The decoded payload JSON, when it decodes.</param>
/// <param name="Findings">What a validator would object to, each as <c>code: reason</c>.</param>
public sealed record TokenInspection(string? Header, string? Claims, IReadOnlyList<string> Findings);
