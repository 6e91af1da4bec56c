namespace Tessera.Validation;

/// <summary>The answer of <see cref="ClientAssertionValidator"/>: the client, or why not.</summary>
public readonly struct ClientAssertionResult
{
    internal ClientAssertionResult(string? clientId, string? failure)
    {
        ClientId = clientId;
        Failure = failure;
    }

    /// <summary>True when the assertion authenticates <see cref="ClientId"/>.</summary>
    public bool IsValid => Failure is null && ClientId is not null;

    /// <summary>The authenticated client, or the client the request claimed to be (for the log).</summary>
    public string? ClientId { get; }

    /// <summary>Why the assertion was refused; for the security log, never for the client.</summary>
    public string? Failure { get; }
}
