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

        RevocationStoreKind? kind = text.StartsWith("redis://", StringComparison.Ordinal) || text.StartsWith("rediss://", StringComparison.Ordinal) ? RevocationStoreKind.Redis
            : text.StartsWith("redis-sentinel://", StringComparison.Ordinal) ? RevocationStoreKind.RedisSentinel
            : null;
        if (kind is null || !ServerPartIsValid(text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..], kind.Value))
        {
            problem = $"'{Redact(text)}' must be sqlite:PATH, redis://[USER:PASSWORD@]HOST:PORT[/DB], rediss://... or redis-sentinel://HOST:PORT[,HOST:PORT]/SERVICE";
            return false;
        }

        uri = new RevocationStoreUri(kind.Value, text, Redact(text), null);
        return true;
    }

    /// <summary>The URI with any password replaced by <c>***</c>.</summary>
    public override string ToString() => Display;

    // [user[:password]@]HOST:PORT[,HOST:PORT...][/DB or /SERVICE]: one host for Redis with an
    // optional database number, one or more for Sentinel with the service name required.
    private static bool ServerPartIsValid(string rest, RevocationStoreKind kind)
    {
        int at = rest.LastIndexOf('@');
        string afterUser = rest[(at + 1)..];
        int slash = afterUser.IndexOf('/', StringComparison.Ordinal);
        string hosts = slash < 0 ? afterUser : afterUser[..slash];
        string? tail = slash < 0 ? null : afterUser[(slash + 1)..];
        string[] list = hosts.Split(',');
        if (list.Any(h => !IsHostPort(h)))
        {
            return false;
        }

        return kind == RevocationStoreKind.Redis
            ? list.Length == 1 && (string.IsNullOrEmpty(tail) || (int.TryParse(tail, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int db) && db < 16_384))
            : !string.IsNullOrEmpty(tail) && !tail.Contains('/', StringComparison.Ordinal);
    }

    private static bool IsHostPort(string text)
    {
        int colon = text.LastIndexOf(':');
        return colon > 0
            && int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
            && port is > 0 and < 65_536
            && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '[' or ']' or ':');
    }

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
