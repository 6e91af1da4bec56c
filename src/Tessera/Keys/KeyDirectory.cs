// SPEC.md §5: a key directory holds, per key, the private key (PKCS#8 PEM, mode 0600; HMAC
// secrets as a private JWK, also 0600), the public key (SPKI PEM) and metadata (kid, alg, created,
// activates, retires). File names start with the kid: <kid>.key.pem, <kid>.pub.pem, <kid>.json.
// The lifecycle state of each key at a moment is derived from the metadata alone.
using Tessera.Algorithms;

namespace Tessera.Keys;

/// <summary>A directory of keys with their lifecycle metadata.</summary>
/// <example><code>
/// var dir = new KeyDirectory("/etc/jwt/keys");
/// StoredKey? active = dir.ActiveAt(DateTimeOffset.FromUnixTimeSeconds(now));
/// </code></example>
public sealed class KeyDirectory
{
    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Opens (does not create) a key directory.</summary>
    public KeyDirectory(string path, KeySchedule? schedule = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Schedule = schedule ?? new KeySchedule();
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>The rotation timing.</summary>
    public KeySchedule Schedule { get; }

    /// <summary>The state of <paramref name="key"/> among <paramref name="all"/> at <paramref name="now"/>.</summary>
    public static KeyState StateOf(StoredKey key, IReadOnlyList<StoredKey> all, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(all);
        KeyMetadata m = key.Metadata;
        if (m.Retires is { } retires && retires <= now)
        {
            return KeyState.Retired;
        }

        if (m.Activates > now)
        {
            return KeyState.Next;
        }

        return ReferenceEquals(Active(all, now), key) ? KeyState.Active : KeyState.Retiring;
    }

    /// <summary>Loads every key with its metadata; throws <see cref="KeyException"/> naming the problem.</summary>
    public IReadOnlyList<StoredKey> Load()
    {
        if (!Directory.Exists(Path))
        {
            throw new KeyException($"Key directory {Path} does not exist; create it with 'tessera keygen --out {Path}'");
        }

        var keys = new List<StoredKey>();
        foreach (string metaFile in Directory.EnumerateFiles(Path, "*.json").Order(StringComparer.Ordinal))
        {
            if (System.IO.Path.GetFileName(metaFile).StartsWith('.'))
            {
                continue;
            }

            KeyMetadata meta = KeyMetadata.Parse(File.ReadAllText(metaFile), metaFile);
            JwsAlgorithm alg = JwsAlgorithm.TryParse(meta.Alg, out JwsAlgorithm a)
                ? a
                : throw new KeyException($"{metaFile}: unknown algorithm '{meta.Alg}'");
            keys.Add(new StoredKey(ReadPrivate(meta.Kid, alg), meta));
        }

        return keys;
    }

    /// <summary>The key that signs at <paramref name="now"/>, if any.</summary>
    public StoredKey? ActiveAt(DateTimeOffset now) => Active(Load(), now);

    /// <summary>The keys to publish at <paramref name="now"/>: next, active and retiring.</summary>
    public KeySet PublishedAt(DateTimeOffset now)
    {
        IReadOnlyList<StoredKey> all = Load();
        return new KeySet(all.Where(k => StateOf(k, all, now) != KeyState.Retired).Select(k => k.Key));
    }

    /// <summary>
    /// Makes a new key (keygen): in an empty directory it is active at once; beside an active
    /// key it becomes the next key, published <see cref="KeySchedule.Prepublish"/> before it
    /// activates, and the key it succeeds is scheduled to retire.
    /// </summary>
    public StoredKey Generate(JwsAlgorithm algorithm, int rsaBits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        EnsureDirectory();
        IReadOnlyList<StoredKey> all = Load();
        StoredKey? latest = all.Where(k => StateOf(k, all, now) is KeyState.Active or KeyState.Next)
            .MaxBy(k => k.Metadata.Activates);
        DateTimeOffset activates = latest is null ? now : Max(now + Schedule.Prepublish, latest.Metadata.Activates + TimeSpan.FromSeconds(1));

        JwsKey key = JwsKey.Generate(algorithm, rsaBits);
        var meta = new KeyMetadata(key.KeyId, algorithm.Name, now, activates, null);
        Write(key, meta);
        if (latest is not null)
        {
            KeyMetadata previous = latest.Metadata with { Retires = activates + Schedule.RetireAfter };
            AtomicFile.Write(MetaPath(previous.Kid), previous.ToJson(), PublicMode);
        }

        return new StoredKey(key, meta);
    }

    /// <summary>Writes a key's files (private first, metadata last, so a half-written key is never loaded).</summary>
    public void Write(JwsKey key, KeyMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(metadata);
        EnsureDirectory();
        if (key.Algorithm.IsSymmetric)
        {
            AtomicFile.Write(PrivatePath(key.KeyId, symmetric: true), key.ExportPrivateJwk() + "\n", PrivateMode);
        }
        else
        {
            AtomicFile.Write(PrivatePath(key.KeyId, symmetric: false), key.ExportPrivateKeyPem() + "\n", PrivateMode);
            AtomicFile.Write(System.IO.Path.Combine(Path, key.KeyId + ".pub.pem"), key.ExportPublicKeyPem() + "\n", PublicMode);
        }

        AtomicFile.Write(MetaPath(metadata.Kid), metadata.ToJson(), PublicMode);
    }

    private static StoredKey? Active(IReadOnlyList<StoredKey> all, DateTimeOffset now) =>
        all.Where(k => k.Metadata.Activates <= now && (k.Metadata.Retires is null || k.Metadata.Retires > now))
            .MaxBy(k => k.Metadata.Activates);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private JwsKey ReadPrivate(string kid, JwsAlgorithm alg)
    {
        string file = PrivatePath(kid, alg.IsSymmetric);
        if (!File.Exists(file))
        {
            throw new KeyException($"{file} is missing (metadata names kid {kid})");
        }

        UnixFileMode mode = File.GetUnixFileMode(file);
        if ((mode & GroupOrOther) != 0)
        {
            throw new KeyException($"{file} is accessible by group or others (mode {Convert.ToString((int)mode, 8)}); run 'chmod 600 {file}'");
        }

        string text = File.ReadAllText(file);
        JwsKey key = alg.IsSymmetric ? JwsKey.ImportJwk(text, alg) : JwsKey.ImportPem(text, alg, kid);
        key.SetKeyId(kid);
        return key;
    }

    private string PrivatePath(string kid, bool symmetric) =>
        System.IO.Path.Combine(Path, kid + (symmetric ? ".key.jwk" : ".key.pem"));

    private string MetaPath(string kid) => System.IO.Path.Combine(Path, kid + ".json");

    private void EnsureDirectory()
    {
        if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path, DirectoryMode);
        }
    }
}
