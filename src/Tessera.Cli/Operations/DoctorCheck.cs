namespace Tessera.Cli.Operations;

/// <summary>The outcome of one <c>doctor</c> check.</summary>
public enum DoctorStatus
{
    /// <summary>As it should be.</summary>
    Pass,

    /// <summary>Works, but not as recommended, or cannot be told.</summary>
    Warn,

    /// <summary>Must be fixed.</summary>
    Fail,
}

/// <summary>One row of the <c>doctor</c> report.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Status">Pass, warn or fail.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">How to fix it, when it is not a pass.</param>
public sealed record DoctorCheck(string Name, DoctorStatus Status, string Detail, string? Fix = null);
