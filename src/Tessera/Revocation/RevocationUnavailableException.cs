namespace Tessera.Revocation;

/// <summary>The revocation store cannot answer (down, or older than its allowed staleness).</summary>
public sealed class RevocationUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RevocationUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RevocationUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public RevocationUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
