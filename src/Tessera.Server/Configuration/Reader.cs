using System.Text.Json.Nodes;
using Tessera.Algorithms;

namespace Tessera.Server.Configuration;

/// <summary>Typed reads of dotted keys from the configuration tree, collecting problems.</summary>
internal sealed class Reader(JsonObject root, List<string> problems)
{
    public void Problem(string key, string what) => problems.Add($"{key}: {what}");

    public string RequiredString(string key)
    {
        string? value = OptionalString(key);
        if (string.IsNullOrEmpty(value))
        {
            Problem(key, "is required");
        }

        return value ?? "";
    }

    public string String(string key, string fallback) => OptionalString(key) ?? fallback;

    public string? OptionalString(string key)
    {
        JsonNode? node = Find(key);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue(out string? s))
        {
            return s;
        }

        Problem(key, "must be a string");
        return null;
    }

    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string>? fallback)
    {
        JsonNode? node = Find(key);
        if (node is null)
        {
            if (fallback is null)
            {
                Problem(key, "is required");
            }

            return fallback ?? [];
        }

        // An environment override may give "a,b" instead of a JSON array.
        if (node is JsonValue v && v.TryGetValue(out string? csv))
        {
            return [.. csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (node is not JsonArray array || array.Any(e => e is not JsonValue ev || !ev.TryGetValue(out string? _)))
        {
            Problem(key, "must be a list of strings");
            return fallback ?? [];
        }

        List<string> list = [.. array.Select(e => e!.GetValue<string>())];
        if (fallback is null && list.Count == 0)
        {
            Problem(key, "needs at least one value");
        }

        return list;
    }

    public JwsAlgorithm Algorithm(string key, JwsAlgorithm fallback)
    {
        string? name = OptionalString(key);
        if (name is null)
        {
            return fallback;
        }

        if (JwsAlgorithm.TryParse(name, out JwsAlgorithm alg))
        {
            return alg;
        }

        Problem(key, name == "none" ? "'none' is never allowed" : $"unknown algorithm '{name}' (names are case-sensitive)");
        return fallback;
    }

    public IReadOnlyList<JwsAlgorithm> Algorithms(string key, IReadOnlyList<JwsAlgorithm> fallback)
    {
        if (Find(key) is null)
        {
            return fallback;
        }

        var algs = new List<JwsAlgorithm>();
        foreach (string name in StringList(key, []))
        {
            if (JwsAlgorithm.TryParse(name, out JwsAlgorithm alg))
            {
                algs.Add(alg);
            }
            else
            {
                Problem(key, name.Equals("none", StringComparison.OrdinalIgnoreCase) ? "'none' is never allowed" : $"unknown algorithm '{name}' (names are case-sensitive)");
            }
        }

        if (algs.Count == 0)
        {
            Problem(key, "needs at least one algorithm");
            return fallback;
        }

        return algs;
    }

    public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan min, TimeSpan max) =>
        Ranged(key, OptionalString(key), fallback, min, max, Units.TryParseDuration, "a duration (e.g. 30s, 15m, 2h, 30d)", $"{Show(min)} to {Show(max)}");

    public long Size(string key, long fallback, long min, long max)
    {
        // A size may be a plain JSON number of bytes or a string with a unit.
        string? text = Find(key) is JsonValue v && v.TryGetValue(out long n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : OptionalString(key);
        return Ranged(key, text, fallback, min, max, Units.TryParseSize, "a size (e.g. 8KiB)", $"{min} bytes to {max / 1024}KiB");
    }

    private delegate bool TryParse<T>(string? text, out T value);

    // A value with a unit: the fallback when absent, a named problem when unparsable or out of range.
    private T Ranged<T>(string key, string? text, T fallback, T min, T max, TryParse<T> parse, string what, string range)
        where T : IComparable<T>
    {
        if (text is null)
        {
            return fallback;
        }

        if (!parse(text, out T value))
        {
            Problem(key, $"'{text}' is not {what}");
            return fallback;
        }

        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            Problem(key, $"{text} is out of range ({range})");
        }

        return value;
    }

    public int Int(string key, int fallback, int min, int max)
    {
        JsonNode? node = Find(key);
        if (node is null)
        {
            return fallback;
        }

        int value = node is JsonValue v && v.TryGetValue(out int i) ? i
            : node is JsonValue s && s.TryGetValue(out string? text) && int.TryParse(text, out int parsed) ? parsed
            : int.MinValue;
        if (value == int.MinValue)
        {
            Problem(key, "must be a whole number");
            return fallback;
        }

        if (value < min || value > max)
        {
            Problem(key, $"{value} is out of range ({min} to {max})");
        }

        return value;
    }

    public (int Permits, TimeSpan Window) Rate(string key, string fallback)
    {
        JsonNode? node = Find(key);
        string text = node is JsonValue v && v.TryGetValue(out int zero) && zero == 0 ? "0" : OptionalString(key) ?? fallback;
        if (!Units.TryParseRate(text, out int permits, out TimeSpan window))
        {
            Problem(key, $"'{text}' is not a rate (e.g. 100/s, or 0 for off)");
            _ = Units.TryParseRate(fallback, out permits, out window);
        }

        return (permits, window);
    }

    public IReadOnlyList<ClientConfig> Clients(string key)
    {
        JsonNode? node = Find(key);
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            Problem(key, "must be a list of client objects");
            return [];
        }

        var clients = new List<ClientConfig>();
        for (int i = 0; i < array.Count; i++)
        {
            string at = $"{key}[{i}]";
            if (array[i] is not JsonObject client)
            {
                Problem(at, "must be an object");
                continue;
            }

            foreach ((string name, _) in client)
            {
                if (!ConfigLoader.KnownClientKeys.Contains(name))
                {
                    Problem($"{at}.{name}", "unknown key");
                }
            }

            var r = new Reader(client, problems);
            string id = r.OptionalString("id") ?? "";
            if (id.Length == 0)
            {
                Problem($"{at}.id", "is required");
            }

            string? hash = r.OptionalString("secret_hash");
            string? jwks = r.OptionalString("jwks");
            if ((hash is null) == (jwks is null))
            {
                Problem(at, "needs exactly one of secret_hash or jwks");
            }

            if (clients.Any(c => c.Id == id))
            {
                Problem($"{at}.id", $"duplicate client id '{id}'");
            }

            clients.Add(new ClientConfig(id, hash, r.StringList("scopes", []), r.StringList("audiences", []), jwks));
        }

        return clients;
    }

    private JsonNode? Find(string key)
    {
        JsonNode? node = root;
        foreach (string part in key.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out JsonNode? child) ? child : null;
        }

        return node;
    }

    private static string Show(TimeSpan t) =>
        t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) ? $"{t.TotalDays}d"
        : t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) ? $"{t.TotalHours}h"
        : t.TotalMinutes >= 1 && t.TotalMinutes == Math.Floor(t.TotalMinutes) ? $"{t.TotalMinutes}m"
        : $"{t.TotalSeconds}s";
}
