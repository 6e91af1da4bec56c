// A PKCS#11 module is initialised once per process (C_Initialize fails a second time), so
// backends over the same module share one loaded library, unloaded when the last one closes.
// Login state is per token for the whole process: a second backend on a logged-in token must
// still present the same PIN, checked against a hash kept from the first login.
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Tessera.Keys.Pkcs11;

internal static class Modules
{
    private static readonly Dictionary<string, Loaded> Open = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    // Pkcs11Interop 5.x loads modules through dlopen imported from "libdl", a name that exists only
    // with libc6-dev on glibc 2.34+ (where dlopen lives in libc.so.6 and libdl.so.2 is a stub), so
    // the name is resolved here to the runtime library every glibc system has.
    static Modules()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, paths) =>
                name == "libdl" && OperatingSystem.IsLinux()
                && (NativeLibrary.TryLoad("libdl.so.2", out IntPtr handle) || NativeLibrary.TryLoad("libc.so.6", out handle))
                    ? handle
                    : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // The host set its own resolver for the wrapper; it knows best.
        }
    }

    // One name per module file: Debian's /usr/lib/softhsm/libsofthsm2.so is a link to the
    // multiarch file, and loading both names would initialise the same library twice.
    public static string Canonical(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    public static IPkcs11Library Acquire(string path)
    {
        lock (Gate)
        {
            if (!Open.TryGetValue(path, out Loaded? loaded))
            {
                var factories = new Pkcs11InteropFactories();
                IPkcs11Library library;
                try
                {
                    library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new HsmException($"Cannot load the PKCS#11 module {path}: {e.Message}", e);
                }

                loaded = new Loaded(library);
                Open[path] = loaded;
            }

            loaded.Users++;
            return loaded.Library;
        }
    }

    public static void Release(string path)
    {
        lock (Gate)
        {
            if (Open.TryGetValue(path, out Loaded? loaded) && --loaded.Users == 0)
            {
                Open.Remove(path);
                loaded.Library.Dispose();
            }
        }
    }

    public static void Login(string path, ISession session, string token, string pin, string pinFile)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(pin));
        lock (Gate)
        {
            Loaded loaded = Open[path];
            try
            {
                session.Login(CKU.CKU_USER, pin);
                loaded.PinHashes[token] = hash;
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                if (!loaded.PinHashes.TryGetValue(token, out byte[]? known) || !CryptographicOperations.FixedTimeEquals(known, hash))
                {
                    throw WrongPin(token, pinFile, e);
                }
            }
            catch (Pkcs11Exception e) when (e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE)
            {
                throw WrongPin(token, pinFile, e);
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_PIN_LOCKED)
            {
                throw new HsmException($"The user PIN of the PKCS#11 token '{token}' is locked; unlock it with the SO PIN", e);
            }
        }
    }

    private static HsmException WrongPin(string token, string pinFile, Pkcs11Exception e) =>
        new($"The PKCS#11 token '{token}' refused the PIN in {pinFile} ({e.RV})", e);

    private sealed class Loaded(IPkcs11Library library)
    {
        public IPkcs11Library Library { get; } = library;

        public int Users { get; set; }

        public Dictionary<string, byte[]> PinHashes { get; } = new(StringComparer.Ordinal);
    }
}
