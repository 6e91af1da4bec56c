namespace Tessera.Server.Configuration;

/// <summary>A configuration error; the message names every bad key.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigException()
    {
    }

    /// <summary>Creates the exception with a message naming the key.</summary>
    public ConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
