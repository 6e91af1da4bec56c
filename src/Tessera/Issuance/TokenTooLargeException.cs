namespace Tessera.Issuance;

/// <summary>The token would exceed the size limit; it was not emitted.</summary>
public sealed class TokenTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TokenTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TokenTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TokenTooLargeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
