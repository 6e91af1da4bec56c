// What the key store asks of a place before it trusts keys there (docs/SPEC.md §5): persistent
// storage (not tmpfs, /tmp, /dev/shm or /run) and an owner that is this user or root. Public so
// that health checks (tessera doctor) report exactly what the store would refuse.
namespace Tessera.Keys;

/// <summary>Checks on a key location, as the key store makes them.</summary>
public static class KeyLocation
{
    /// <summary>Why <paramref name="path"/> is a volatile location, or null when it is persistent.</summary>
    public static string? VolatileReason(string path) => VolatileLocation.Reason(path);

    /// <summary>
    /// The owner uid of <paramref name="path"/>, this process's effective uid, and whether the
    /// key store accepts that owner (this user or root).
    /// </summary>
    public static (uint Owner, uint Me, bool Accepted) Ownership(string path)
    {
        uint owner = UnixFile.OwnerOf(path);
        uint me = UnixFile.EffectiveUser;
        return (owner, me, owner == me || owner == 0);
    }
}
