// SPEC §5 "running services pick up rotated keys without a restart": a long-running process
// holds a KeyRing over a key directory. File-system events (debounced) and a periodic rescan
// reload it; a reload that fails keeps the last good ring and records why. Which key signs and
// which keys are published is decided from the loaded metadata at the moment of asking, so a
// scheduled activation takes effect on time even when no file changes.

namespace Tessera.Keys;

/// <summary>The keys of a directory, kept current while a process runs.</summary>
/// <example><code>
/// using var ring = new KeyRing(new KeyDirectory("/etc/jwt/keys"), TimeProvider.System);
/// JwsKey signer = ring.Active!.Key;
/// </code></example>
public sealed class KeyRing : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly KeyDirectory _directory;
    private readonly TimeProvider _time;
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer _rescan;
    private readonly ITimer _debounce;
    private readonly Lock _gate = new();
    private IReadOnlyList<StoredKey> _keys = [];
    private string _fingerprint = "";
    private PublishedSet? _published;

    /// <summary>Loads the directory now (throws <see cref="KeyException"/> if it cannot) and watches it.</summary>
    public KeyRing(KeyDirectory directory, TimeProvider time, TimeSpan? rescanEvery = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(time);
        _directory = directory;
        _time = time;
        Install(directory.Load());
        _debounce = time.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        TimeSpan every = rescanEvery ?? TimeSpan.FromSeconds(30);
        _rescan = time.CreateTimer(_ => Reload(), null, every, every);
        try
        {
            _watcher = new FileSystemWatcher(directory.Path) { IncludeSubdirectories = false, EnableRaisingEvents = true };
            _watcher.Created += (_, _) => Poke();
            _watcher.Changed += (_, _) => Poke();
            _watcher.Deleted += (_, _) => Poke();
            _watcher.Renamed += (_, _) => Poke();
        }
        catch (IOException)
        {
            // inotify limits reached: the periodic rescan still picks changes up.
            _watcher = null;
        }
    }

    /// <summary>Raised after a reload that changed the keys or their metadata.</summary>
    public event EventHandler? Changed;

    /// <summary>The last reload failure (the ring kept its previous keys), or null.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>When the ring last loaded successfully.</summary>
    public DateTimeOffset LoadedAt { get; private set; }

    /// <summary>Every loaded key with its metadata.</summary>
    public IReadOnlyList<StoredKey> Keys => Volatile.Read(ref _keys);

    /// <summary>The key that signs now, if any.</summary>
    public StoredKey? Active
    {
        get
        {
            IReadOnlyList<StoredKey> keys = Keys;
            KeyMetadata? active = KeyLifecycle.Active(keys.Select(k => k.Metadata), _time.GetUtcNow());
            return keys.FirstOrDefault(k => k.Metadata.Kid == active?.Kid);
        }
    }

    /// <summary>
    /// The keys to publish now (next, active, retiring). The same <see cref="KeySet"/> instance is
    /// returned until the keys change or a key's activation or retirement time passes, so callers
    /// may compare it by reference.
    /// </summary>
    public KeySet Published
    {
        get
        {
            IReadOnlyList<StoredKey> keys = Keys;
            DateTimeOffset now = _time.GetUtcNow();
            PublishedSet? cached = Volatile.Read(ref _published);
            if (cached is not null && ReferenceEquals(cached.From, keys) && now < cached.Until)
            {
                return cached.Set;
            }

            // The set can only change at the next activation or retirement after now.
            DateTimeOffset until = keys.SelectMany(k => new[] { k.Metadata.Activates, k.Metadata.Retires ?? DateTimeOffset.MaxValue })
                .Where(t => t > now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var fresh = new PublishedSet(keys, KeyDirectory.Published(keys, now), until);
            Volatile.Write(ref _published, fresh);
            return fresh.Set;
        }
    }

    /// <summary>Reloads now; false (and <see cref="LastError"/> set) when the load failed.</summary>
    public bool Reload()
    {
        lock (_gate)
        {
            try
            {
                Install(_directory.Load());
                LastError = null;
                return true;
            }
            catch (Exception ex) when (ex is KeyException or IOException or UnauthorizedAccessException)
            {
                LastError = ex;
                return false;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _watcher?.Dispose();
        _rescan.Dispose();
        _debounce.Dispose();
    }

    private void Poke() => _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);

    private void Install(IReadOnlyList<StoredKey> keys)
    {
        string fingerprint = string.Join("|", keys.Select(k => k.Metadata.ToJson()).Order(StringComparer.Ordinal));
        LoadedAt = _time.GetUtcNow();
        if (fingerprint == _fingerprint)
        {
            foreach (StoredKey k in keys)
            {
                k.Key.Dispose();
            }

            return;
        }

        Volatile.Write(ref _keys, keys);
        _fingerprint = fingerprint;
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private sealed record PublishedSet(IReadOnlyList<StoredKey> From, KeySet Set, DateTimeOffset Until);
}
