// The user PIN comes from a file only (docs/SPEC.md §4 keys.pkcs11.pin_file), never from the
// command line or the environment, and only when no one but the owner can read or write it.
namespace Tessera.Keys.Pkcs11;

internal static class PinFile
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static string Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new HsmException($"The PIN file {path} does not exist");
        }

        if (!OperatingSystem.IsWindows())
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                throw new HsmException(
                    $"The PIN file {path} has mode {Convert.ToString((int)mode, 8)}; it must be 0600 or stricter (chmod 600 {path})");
            }
        }

        string pin = File.ReadAllText(path).TrimEnd('\r', '\n');
        if (pin.Length == 0)
        {
            throw new HsmException($"The PIN file {path} is empty");
        }

        return pin;
    }
}
