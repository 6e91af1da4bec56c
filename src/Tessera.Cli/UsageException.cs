namespace Tessera.Cli;

/// <summary>A usage or configuration error: exit 2 with the message on stderr.</summary>
internal sealed class UsageException(string message) : Exception(message);
