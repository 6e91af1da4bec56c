using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary>Opens key directories the way every command does.</summary>
internal static class KeyDirectories
{
    /// <summary>Development only: set to 1 to allow key directories on volatile mounts.</summary>
    public const string AllowVolatileVariable = "TESSERA_ALLOW_VOLATILE_KEYS";

    public static KeyDirectory Open(string path, KeySchedule? schedule = null) =>
        new(path, schedule, allowVolatile: Environment.GetEnvironmentVariable(AllowVolatileVariable) == "1");
}
