// docs/SPEC.md §10: keys generated inside a PKCS#11 token as sensitive, non-extractable objects
// whose CKA_ID and CKA_LABEL are the kid (the RFC 7638 thumbprint of the public key), and every
// signature made there. One module per process (Modules), one logged-in session held for the
// backend's life (login state is per token, so the other sessions share it), and a short session
// per operation, which is what makes concurrent signing safe.
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Tessera.Algorithms;
using Tessera.Issuance;

namespace Tessera.Keys.Pkcs11;

/// <summary>Signing keys kept in a PKCS#11 token.</summary>
/// <example><code>
/// using var hsm = Pkcs11Backend.Open("/usr/lib/softhsm/libsofthsm2.so", "tessera", "/etc/tessera/pin");
/// string kid = hsm.Generate(JwsAlgorithm.EdDSA);
/// string token = issuer.Issue(hsm.Find(kid, JwsAlgorithm.EdDSA)!, request).Token;
/// </code></example>
public sealed class Pkcs11Backend : IDisposable
{
    private readonly string _module;
    private readonly ISlot _slot;
    private readonly ISession _login;
    private bool _disposed;

    private Pkcs11Backend(string module, string token, ISlot slot, ISession login)
    {
        _module = module;
        Token = token;
        _slot = slot;
        _login = login;
    }

    /// <summary>The token label.</summary>
    public string Token { get; }

    /// <summary>
    /// Loads <paramref name="module"/> (once per process), finds the token labelled
    /// <paramref name="token"/> and logs in with the PIN in <paramref name="pinFile"/> (mode 0600 or
    /// stricter). Throws <see cref="HsmException"/> saying what is wrong; the PIN is never in it.
    /// </summary>
    public static Pkcs11Backend Open(string module, string token, string pinFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(pinFile);
        string pin = PinFile.Read(pinFile);
        string given = module;
        module = Modules.Canonical(module);
        IPkcs11Library library = Modules.Acquire(module);
        ISession? session = null;
        try
        {
            ISlot slot = FindSlot(library, given, token);
            session = slot.OpenSession(SessionType.ReadWrite);
            Modules.Login(module, session, token, pin, pinFile);
            return new Pkcs11Backend(module, token, slot, session);
        }
        catch
        {
            session?.Dispose();
            Modules.Release(module);
            throw;
        }
    }

    /// <summary>
    /// Generates a key pair for <paramref name="algorithm"/> (EdDSA, ES256, RS256 or PS256) inside
    /// the token, private part sensitive and non-extractable, and returns its kid.
    /// <paramref name="rsaBits"/> is the RSA modulus size (4096 by default).
    /// </summary>
    public string Generate(JwsAlgorithm algorithm, int rsaBits = 4096)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        KeyTemplates.Check(algorithm, rsaBits);
        return WithSession(session =>
        {
            // A temporary id until the public key, and so the thumbprint, exists.
            byte[] pending = Encoding.ASCII.GetBytes("pending-" + Guid.NewGuid().ToString("N"));
            (IMechanism mechanism, List<IObjectAttribute> publicTemplate, List<IObjectAttribute> privateTemplate) =
                KeyTemplates.For(session.Factories, algorithm, rsaBits, pending);
            IObjectHandle publicKey, privateKey;
            using (mechanism)
            {
                try
                {
                    session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out publicKey, out privateKey);
                }
                catch (Pkcs11Exception e)
                {
                    throw new HsmException($"The token '{Token}' could not generate a {algorithm.Name} key ({e.RV})", e);
                }
            }

            try
            {
                using JwsKey publicJws = PublicKeyReader.Read(session, publicKey, algorithm);
                string kid = publicJws.Thumbprint;
                List<IObjectAttribute> name = KeyTemplates.Name(session.Factories, kid);
                session.SetAttributeValue(publicKey, name);
                session.SetAttributeValue(privateKey, name);
                return kid;
            }
            catch
            {
                session.DestroyObject(privateKey);
                session.DestroyObject(publicKey);
                throw;
            }
        });
    }

    /// <summary>
    /// The signer for the private key <paramref name="kid"/>, bound to <paramref name="algorithm"/>
    /// (the key directory's metadata says which: an RSA key serves RS256 or PS256); null when the
    /// token has no such key. Throws when the key does not fit the algorithm.
    /// </summary>
    public IJwsSigner? Find(string kid, JwsAlgorithm algorithm)
    {
        ArgumentException.ThrowIfNullOrEmpty(kid);
        ArgumentNullException.ThrowIfNull(algorithm);
        return WithSession(session =>
        {
            IObjectHandle? privateKey = FindObject(session, CKO.CKO_PRIVATE_KEY, kid);
            IObjectHandle? publicKey = FindObject(session, CKO.CKO_PUBLIC_KEY, kid);
            if (privateKey is null || publicKey is null)
            {
                return null;
            }

            using JwsKey publicJws = PublicKeyReader.Read(session, publicKey, algorithm);
            int size = algorithm.Family is AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss ? publicJws.KeySizeBits / 8 : 64;
            return (IJwsSigner)new Pkcs11Signer(this, privateKey, algorithm, kid, size);
        });
    }

    /// <summary>
    /// The public key of <paramref name="kid"/> as a public-only Tessera key bound to
    /// <paramref name="algorithm"/> (for the JWKS); null when the token has no such key.
    /// </summary>
    public JwsKey? PublicKey(string kid, JwsAlgorithm algorithm)
    {
        ArgumentException.ThrowIfNullOrEmpty(kid);
        ArgumentNullException.ThrowIfNull(algorithm);
        return WithSession(session =>
            FindObject(session, CKO.CKO_PUBLIC_KEY, kid) is { } publicKey
                ? PublicKeyReader.Read(session, publicKey, algorithm)
                : null);
    }

    /// <summary>Destroys both halves of <paramref name="kid"/>; false when the token has neither.</summary>
    public bool Destroy(string kid)
    {
        ArgumentException.ThrowIfNullOrEmpty(kid);
        return WithSession(session =>
        {
            bool any = false;
            foreach (CKO kind in new[] { CKO.CKO_PRIVATE_KEY, CKO.CKO_PUBLIC_KEY })
            {
                while (FindObject(session, kind, kid) is { } handle)
                {
                    session.DestroyObject(handle);
                    any = true;
                }
            }

            return any;
        });
    }

    /// <summary>What the token says about the private key <paramref name="kid"/>; null when absent.</summary>
    public Pkcs11KeyInfo? Describe(string kid)
    {
        ArgumentException.ThrowIfNullOrEmpty(kid);
        return WithSession(session =>
        {
            if (FindObject(session, CKO.CKO_PRIVATE_KEY, kid) is not { } key)
            {
                return null;
            }

            string keyType = PublicKeyReader.KeyType(session, key);
            List<IObjectAttribute> flags = session.GetAttributeValue(key,
                [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_ALWAYS_SENSITIVE, CKA.CKA_NEVER_EXTRACTABLE]);
            CKA secret = keyType == "RSA" ? CKA.CKA_PRIVATE_EXPONENT : CKA.CKA_VALUE;
            IObjectAttribute value = session.GetAttributeValue(key, [secret])[0];
            bool readable = !value.CannotBeRead && value.GetValueAsByteArray() is { Length: > 0 };
            return new Pkcs11KeyInfo(kid, keyType, flags[0].GetValueAsBool(), flags[1].GetValueAsBool(),
                flags[2].GetValueAsBool(), flags[3].GetValueAsBool(), readable);
        });
    }

    /// <summary>Closes the backend's sessions and, with the last backend, unloads the module.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _login.Dispose();
        Modules.Release(_module);
    }

    internal T WithSession<T>(Func<ISession, T> operation, bool readOnly = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using ISession session = _slot.OpenSession(readOnly ? SessionType.ReadOnly : SessionType.ReadWrite);
        return operation(session);
    }

    private static IObjectHandle? FindObject(ISession session, CKO kind, string kid)
    {
        List<IObjectHandle> found = session.FindAllObjects(
        [
            session.Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, kind),
            session.Factories.ObjectAttributeFactory.Create(CKA.CKA_ID, Encoding.UTF8.GetBytes(kid)),
        ]);
        return found.Count > 0 ? found[0] : null;
    }

    private static ISlot FindSlot(IPkcs11Library library, string module, string token)
    {
        var labels = new List<string>();
        foreach (ISlot slot in library.GetSlotList(SlotsType.WithTokenPresent))
        {
            string label = slot.GetTokenInfo().Label.TrimEnd();
            if (label == token)
            {
                return slot;
            }

            if (label.Length > 0)
            {
                labels.Add(label);
            }
        }

        throw new HsmException(
            $"No PKCS#11 token labelled '{token}' in {module} (tokens present: {(labels.Count == 0 ? "none" : string.Join(", ", labels))})");
    }
}
