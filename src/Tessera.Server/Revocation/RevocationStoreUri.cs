// docs/SPEC.md §7: a revocation store is named by one URI, parsed once into this type so that no
// one slices a prefix off a string again (an unknown scheme, or "sqlite://HOST", once opened a
// SQLite file named after a host). Forms:
//   sqlite:PATH                                   the embedded store (one node)
//   redis://[user:password@]HOST:PORT[/DB]        shared store; rediss:// for TLS
//   redis-sentinel://HOST:PORT[,HOST:PORT]/SERVICE
// ToString never shows a password: the URI appears in errors and in the security log.
namespace Tessera.Server.Revocation;

/// <summary>The kind of revocation store a URI names.</summary>
public enum RevocationStoreKind
{
    /// <summary><c>sqlite:PATH</c>.</summary>
    Sqlite,

    /// <summary><c>redis://</c> or <c>rediss://</c>.</summary>
    Redis,

    /// <summary><c>redis-sentinel://</c>.</summary>
    RedisSentinel,
}

/// <summary>A parsed <c>revocation.store</c> value.</summary>
public sealed class RevocationStoreUri
{
    private const string SqlitePrefix = "sqlite:";

    private RevocationStoreUri(RevocationStoreKind kind, string text, string display, string? path)
    {
        Kind = kind;
        Text = text;
        Display = display;
        Path = path;
    }

    /// <summary>What the store is.</summary>
    public RevocationStoreKind Kind { get; }

    /// <summary>The database file of a <see cref="RevocationStoreKind.Sqlite"/> store.</summary>
    public string? Path { get; }

    /// <summary>The URI as configured (it may hold a password: do not print it).</summary>
    public string Text { get; }

    private string Display { get; }

    /// <summary>Parses <paramref name="text"/>, or says what is wrong (without echoing a password).</summary>
    public static bool TryParse(string? text, out RevocationStoreUri? uri, out string? problem)
    {
        uri = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "is empty";
            return false;
        }

        if (text.StartsWith(SqlitePrefix, StringComparison.Ordinal))
        {
            string path = text[SqlitePrefix.Length..];
            if (path.Length == 0 || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
            {
                problem = $"'{text}' is not sqlite:PATH (a file path, not sqlite://HOST)";
                return false;
            }

            uri = new RevocationStoreUri(RevocationStoreKind.Sqlite, text, text, path);
            return true;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) || parsed.Scheme is not ("redis" or "rediss" or "redis-sentinel")
            || string.IsNullOrEmpty(parsed.Host))
        {
            problem = $"'{Redact(text)}' must be sqlite:PATH, redis://HOST:PORT, rediss://HOST:PORT or redis-sentinel://HOST:PORT/SERVICE";
            return false;
        }

        RevocationStoreKind kind = parsed.Scheme == "redis-sentinel" ? RevocationStoreKind.RedisSentinel : RevocationStoreKind.Redis;
        uri = new RevocationStoreUri(kind, text, Redact(text), null);
        return true;
    }

    /// <summary>The URI with any password replaced by <c>***</c>.</summary>
    public override string ToString() => Display;

    private static string Redact(string text)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int at = text.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return text;
        }

        string user = text[(scheme + 3)..at];
        int colon = user.IndexOf(':', StringComparison.Ordinal);
        return text[..(scheme + 3)] + (colon < 0 ? "***" : user[..colon] + ":***") + text[at..];
    }
}
