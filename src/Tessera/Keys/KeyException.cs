namespace Tessera.Keys;

/// <summary>
/// A key or key set that cannot be used: wrong size, curve, format, permissions. The message
/// names the problem and, where there is one, the minimum; it never contains key material.
/// </summary>
public sealed class KeyException : Exception
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public KeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public KeyException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a message (serialisation support only).</summary>
    public KeyException()
    {
    }
}
