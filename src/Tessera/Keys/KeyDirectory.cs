// SPEC §5: a key directory holds, per key, the private key (PKCS#8 PEM, mode 0600; HMAC secrets
// as a private JWK, also 0600), the public key (SPKI PEM) and metadata (kid, alg, created,
// activates, retires): <kid>.key.pem, <kid>.pub.pem, <kid>.json. Metadata is written last and
// removed first, so a half-written or half-removed key is never loaded; writers hold a lock.
// Loading refuses, with the fix named: a directory on a volatile mount (unless allowed for
// development), a directory writable by group or others, a private key readable or writable by
// group or others (as OpenSSH does), and files owned by anyone but this user or root.
using Tessera.Algorithms;

namespace Tessera.Keys;

/// <summary>A directory of keys with their lifecycle metadata.</summary>
/// <example><code>
/// var dir = new KeyDirectory("/etc/jwt/keys");
/// RotationPlan done = dir.Rotate(JwsAlgorithm.EdDSA, 4096, now);
/// </code></example>
public sealed class KeyDirectory
{
    internal const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    internal const UnixFileMode DirectoryMode = PrivateMode | UnixFileMode.UserExecute;
    private const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Opens (does not create) a key directory.</summary>
    /// <param name="path">The directory.</param>
    /// <param name="schedule">Rotation timing; the SPEC defaults when null.</param>
    /// <param name="allowVolatile">Allow /tmp, /run, tmpfs (development only).</param>
    public KeyDirectory(string path, KeySchedule? schedule = null, bool allowVolatile = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Schedule = schedule ?? new KeySchedule();
        AllowVolatile = allowVolatile;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>The rotation timing.</summary>
    public KeySchedule Schedule { get; }

    /// <summary>True when volatile locations are allowed (development).</summary>
    public bool AllowVolatile { get; }

    /// <summary>Loads every key with its metadata; throws <see cref="KeyException"/> naming the problem.</summary>
    public IReadOnlyList<StoredKey> Load()
    {
        CheckDirectory();
        using DirectoryLock? _ = DirectoryLock.AcquireShared(Path, LockTimeout);
        var keys = new List<StoredKey>();
        foreach (KeyMetadata meta in ReadMetadata())
        {
            JwsAlgorithm alg = JwsAlgorithm.TryParse(meta.Alg, out JwsAlgorithm a)
                ? a
                : throw new KeyException($"{MetaPath(meta.Kid)}: unknown algorithm '{meta.Alg}'");
            try
            {
                keys.Add(new StoredKey(ReadPrivate(meta.Kid, alg), meta));
            }
            catch (KeyException) when (!File.Exists(MetaPath(meta.Kid)))
            {
                // Removed by a concurrent rotate (metadata goes first): the key is retired.
            }
        }

        return keys;
    }

    /// <summary>The key that signs at <paramref name="now"/>, if any.</summary>
    public StoredKey? ActiveAt(DateTimeOffset now)
    {
        IReadOnlyList<StoredKey> all = Load();
        KeyMetadata? active = KeyLifecycle.Active(all.Select(k => k.Metadata), now);
        return all.FirstOrDefault(k => k.Metadata.Kid == active?.Kid);
    }

    /// <summary>The keys to publish at <paramref name="now"/>: next, active and retiring.</summary>
    public KeySet PublishedAt(DateTimeOffset now) => Published(Load(), now);

    /// <summary>The published subset of <paramref name="keys"/> at <paramref name="now"/>.</summary>
    public static KeySet Published(IReadOnlyList<StoredKey> keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        List<KeyMetadata> all = [.. keys.Select(k => k.Metadata)];
        return new KeySet(keys.Where(k => KeyLifecycle.StateOf(k.Metadata, all, now) != KeyState.Retired).Select(k => k.Key));
    }

    /// <summary>
    /// Makes a new key (keygen): in an empty directory it is active at once; beside an active
    /// key it becomes the next key, activating <see cref="KeySchedule.Prepublish"/> from now (or
    /// one period after an existing next key), and the key it follows is scheduled to retire.
    /// </summary>
    public StoredKey Generate(JwsAlgorithm algorithm, int rsaBits, DateTimeOffset now) =>
        Add(() => JwsKey.Generate(algorithm, rsaBits), algorithm, now);

    /// <summary>Adopts a key made elsewhere (keys import), with the same placement as <see cref="Generate"/>.</summary>
    public StoredKey Import(JwsKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.HasPrivateKey)
        {
            throw new KeyException("Only a private key can be imported: the directory signs with it");
        }

        return Add(() => key, key.Algorithm, now);
    }

    /// <summary>Moves the lifecycle forward (rotate); idempotent. Returns what changed.</summary>
    public RotationPlan Rotate(JwsAlgorithm algorithm, int rsaBits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        EnsureDirectory();
        using DirectoryLock _ = DirectoryLock.Acquire(Path, LockTimeout);
        CheckDirectory();
        RotationPlan plan = KeyLifecycle.Plan(ReadMetadata(), now, Schedule);
        Apply(plan, algorithm, rsaBits, now);
        return plan;
    }

    /// <summary>
    /// Emergency: retires <paramref name="kid"/> at once (it leaves the JWKS now). When it was the
    /// active key, the next key activates now, or a new key does; then the plan runs as usual.
    /// </summary>
    public RotationPlan Retire(string kid, JwsAlgorithm algorithm, int rsaBits, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(kid);
        using DirectoryLock _ = DirectoryLock.Acquire(Path, LockTimeout);
        CheckDirectory();
        List<KeyMetadata> all = [.. ReadMetadata()];
        KeyMetadata target = all.FirstOrDefault(k => k.Kid == kid)
            ?? throw new KeyException($"No key with kid {kid} in {Path}");
        all[all.IndexOf(target)] = target with { Retires = now };
        AtomicFile.Write(MetaPath(kid), all.First(k => k.Kid == kid).ToJson(), PublicMode);
        RotationPlan plan = KeyLifecycle.Plan(all, now, Schedule);
        plan.Notes.Insert(0, $"EMERGENCY: retired key {kid}; it left the key set at once");
        Apply(plan, algorithm, rsaBits, now);
        return plan;
    }

    private StoredKey Add(Func<JwsKey> make, JwsAlgorithm algorithm, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        EnsureDirectory();
        using DirectoryLock _ = DirectoryLock.Acquire(Path, LockTimeout);
        CheckDirectory();
        List<KeyMetadata> every = ReadMetadata();
        List<KeyMetadata> all = [.. every.Where(k => k.Retires is not { } r || r > now)];
        KeyMetadata? active = KeyLifecycle.Active(every, now);
        KeyMetadata? latest = all.Where(k => k.Activates > now).MaxBy(k => k.Activates) ?? active;
        DateTimeOffset activates = latest is null ? now
            : latest == active ? now + Schedule.Prepublish
            : latest.Activates + Schedule.RotateEvery;

        JwsKey key = make();
        var meta = new KeyMetadata(key.KeyId, algorithm.Name, now, activates, null);
        if (all.Any(k => k.Kid == meta.Kid))
        {
            throw new KeyException($"Key {meta.Kid} is already in {Path}");
        }

        Write(key, meta);
        if (latest is not null)
        {
            AtomicFile.Write(MetaPath(latest.Kid), (latest with { Retires = activates + Schedule.RetireAfter }).ToJson(), PublicMode);
        }

        return new StoredKey(key, meta);
    }

    // Order matters for a process killed half-way: new keys are written first without any
    // retirement, then retirements are scheduled, so a key never retires without its successor
    // on disk. Files a killed writer left without metadata are removed (we hold the lock).
    private void Apply(RotationPlan plan, JwsAlgorithm algorithm, int rsaBits, DateTimeOffset now)
    {
        RemoveOrphans();
        foreach (string kid in plan.Remove)
        {
            Delete(kid);
        }

        var created = new List<KeyMetadata>();
        foreach (PlannedKey planned in plan.NewKeys)
        {
            using JwsKey key = JwsKey.Generate(algorithm, rsaBits);
            var meta = new KeyMetadata(key.KeyId, algorithm.Name, now, planned.Activates, null);
            Write(key, meta);
            created.Add(meta with { Retires = planned.Retires });
            plan.Notes.Add($"created key {key.KeyId} ({algorithm.Name})");
        }

        foreach (KeyMetadata meta in plan.Update.Concat(created.Where(m => m.Retires is not null)))
        {
            AtomicFile.Write(MetaPath(meta.Kid), meta.ToJson(), PublicMode);
        }
    }

    private void RemoveOrphans()
    {
        foreach (string file in Directory.EnumerateFiles(Path))
        {
            string name = System.IO.Path.GetFileName(file);
            int dot = name.IndexOf('.', StringComparison.Ordinal);
            bool keyFile = name.EndsWith(".key.pem", StringComparison.Ordinal) || name.EndsWith(".pub.pem", StringComparison.Ordinal)
                || name.EndsWith(".key.jwk", StringComparison.Ordinal);
            bool tempFile = name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal);
            if ((keyFile && dot > 0 && !File.Exists(MetaPath(name[..dot]))) || tempFile)
            {
                File.Delete(file);
            }
        }
    }

    private void Write(JwsKey key, KeyMetadata metadata)
    {
        if (key.Algorithm.IsSymmetric)
        {
            AtomicFile.Write(PrivatePath(key.KeyId, symmetric: true), key.ExportPrivateJwk() + "\n", PrivateMode);
        }
        else
        {
            AtomicFile.Write(PrivatePath(key.KeyId, symmetric: false), key.ExportPrivateKeyPem().TrimEnd('\n') + "\n", PrivateMode);
            AtomicFile.Write(PublicPath(key.KeyId), key.ExportPublicKeyPem().TrimEnd('\n') + "\n", PublicMode);
        }

        AtomicFile.Write(MetaPath(metadata.Kid), metadata.ToJson(), PublicMode);
    }

    private void Delete(string kid)
    {
        File.Delete(MetaPath(kid));
        File.Delete(PublicPath(kid));
        File.Delete(PrivatePath(kid, symmetric: false));
        File.Delete(PrivatePath(kid, symmetric: true));
        UnixFile.SyncDirectory(Path);
    }

    private List<KeyMetadata> ReadMetadata()
    {
        var list = new List<KeyMetadata>();
        foreach (string file in Directory.EnumerateFiles(Path, "*.json").Order(StringComparer.Ordinal))
        {
            if (!System.IO.Path.GetFileName(file).StartsWith('.'))
            {
                string text;
                try
                {
                    text = File.ReadAllText(file);
                }
                catch (FileNotFoundException)
                {
                    continue; // removed by a concurrent rotate
                }

                KeyMetadata meta = KeyMetadata.Parse(text, file);
                list.Add(System.IO.Path.GetFileName(file) == meta.Kid + ".json"
                    ? meta
                    : throw new KeyException($"{file} names kid {meta.Kid}; the file name must be <kid>.json"));
            }
        }

        return list;
    }

    private void CheckDirectory()
    {
        if (!Directory.Exists(Path))
        {
            throw new KeyException($"Key directory {Path} does not exist; create it with 'tessera keygen --out {Path}' or 'tessera rotate --keys {Path}'");
        }

        if (!AllowVolatile && VolatileLocation.Reason(Path) is string why)
        {
            throw new KeyException($"{why}; keep keys in a persistent directory such as /etc/jwt/keys (development only: allow volatile key directories explicitly)");
        }

        UnixFileMode mode = File.GetUnixFileMode(Path);
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new KeyException($"{Path} is writable by group or others (mode {Octal(mode)}); run 'chmod 700 {Path}'");
        }

        CheckOwner(Path);
    }

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
            throw new KeyException($"{file} is accessible by group or others (mode {Octal(mode)}); run 'chmod 600 {file}'");
        }

        CheckOwner(file);
        string text = File.ReadAllText(file);
        JwsKey key = alg.IsSymmetric ? JwsKey.ImportJwk(text, alg) : JwsKey.ImportPem(text, alg, kid);
        key.SetKeyId(kid);
        return key;
    }

    private static void CheckOwner(string path)
    {
        (uint owner, uint me, bool accepted) = KeyLocation.Ownership(path);
        if (!accepted)
        {
            throw new KeyException($"{path} is owned by uid {owner}, not by this user (uid {me}) or root; run 'chown {me} {path}'");
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    private string PrivatePath(string kid, bool symmetric) =>
        System.IO.Path.Combine(Path, kid + (symmetric ? ".key.jwk" : ".key.pem"));

    private string PublicPath(string kid) => System.IO.Path.Combine(Path, kid + ".pub.pem");

    private string MetaPath(string kid) => System.IO.Path.Combine(Path, kid + ".json");

    private void EnsureDirectory()
    {
        if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path, DirectoryMode);
        }
    }
}
