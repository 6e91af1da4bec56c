namespace Tessera.Keys.Pkcs11;

/// <summary>
/// A PKCS#11 token could not be used: module not loadable, token missing, PIN file unsafe, PIN
/// refused, or a key operation refused. The message says which, and never contains the PIN.
/// </summary>
public sealed class HsmException : Exception
{
    /// <summary>Makes an exception with a message.</summary>
    public HsmException(string message)
        : base(message)
    {
    }

    /// <summary>Makes an exception with a message and the token's error.</summary>
    public HsmException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Makes an exception with no message.</summary>
    public HsmException()
    {
    }
}
