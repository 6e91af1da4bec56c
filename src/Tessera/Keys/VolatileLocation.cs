// SPEC §5 and the seed's "tokens failing after a reboot": keys on a volatile mount vanish at
// reboot. A location is volatile when it is under /tmp, /dev/shm, /run or /var/run, or when the
// mount that holds it (the longest mount point prefix in /proc/self/mountinfo) is tmpfs, ramfs
// or devtmpfs (all memory-backed).
namespace Tessera.Keys;

internal static class VolatileLocation
{
    private static readonly string[] VolatilePrefixes = ["/tmp", "/dev/shm", "/run", "/var/run"];

    /// <summary>Why <paramref name="path"/> is volatile, or null when it is not.</summary>
    public static string? Reason(string path)
    {
        string full = Path.GetFullPath(path);
        string real = RealPath(full);
        foreach (string prefix in VolatilePrefixes)
        {
            if (IsUnder(real, prefix) || IsUnder(full, prefix))
            {
                return $"{path} is under {prefix}, which is emptied at reboot";
            }
        }

        (string mount, string type) = MountOf(real);
        return type is "tmpfs" or "ramfs" or "devtmpfs"
            ? $"{path} is on a {type} mount ({mount}), which is lost at reboot"
            : null;
    }

    private static (string Mount, string Type) MountOf(string path)
    {
        string best = "/";
        string type = "unknown";
        if (!File.Exists("/proc/self/mountinfo"))
        {
            return (best, type);
        }

        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Fields: id parent major:minor root mountpoint options [optional...] - fstype source super
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || dash < 0 || dash + 1 >= fields.Length)
            {
                continue;
            }

            string mount = Unescape(fields[4]);
            if (IsUnder(path, mount) && mount.Length >= best.Length)
            {
                best = mount;
                type = fields[dash + 1];
            }
        }

        return (best, type);
    }

    private static bool IsUnder(string path, string prefix) =>
        prefix == "/" || path == prefix || path.StartsWith(prefix.TrimEnd('/') + "/", StringComparison.Ordinal);

    // mountinfo escapes space, tab, newline and backslash as octal (\040 ...).
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    // Resolves symlinks component by component (the directory itself may not exist yet).
    private static string RealPath(string path)
    {
        string result = "/";
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(result, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is not null)
            {
                next = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next;
            }

            result = next;
        }

        return result;
    }
}
