namespace Tessera.Jwks;

/// <summary>
/// A key set could not be fetched or read: the message names the URL (without credentials) and
/// the reason on one line, never a response body.
/// </summary>
public sealed class JwksException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JwksException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public JwksException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JwksException()
    {
    }
}
