namespace Tessera.Server;

/// <summary>What the host provides beyond the configuration: clock, stdout, development switches.</summary>
public sealed record ServiceContext
{
    /// <summary>The clock (tests may fix it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where security events are echoed for journald; null for none.</summary>
    public TextWriter? Stdout { get; init; } = Console.Out;

    /// <summary>Development profile: allow keys under volatile paths.</summary>
    public bool AllowVolatileKeys { get; init; }
}
