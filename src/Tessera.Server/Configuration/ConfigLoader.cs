// SPEC §4: one JSON file, snake_case keys, each overridable by TESSERA_<KEY> (nested keys joined
// by "__"). Unknown keys, wrong types and out-of-range values are errors that name the key; all
// problems are reported at once. Strict JSON: no comments, no duplicate keys.
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Server.Revocation;

namespace Tessera.Server.Configuration;

/// <summary>Reads and checks <c>auth.json</c>.</summary>
public static class ConfigLoader
{
    // Environment variables with this prefix that are not configuration keys.
    private static readonly HashSet<string> NotConfig = ["TESSERA_ALLOW_VOLATILE_KEYS", "TESSERA_MUTATION_SEED", "TESSERA_CONFIG"];

    private static readonly string[] Keys =
    [
        "issuer", "audiences", "allowed_algs", "signing_alg", "token_typ", "token_ttl", "max_token_lifetime",
        "clock_skew", "max_token_size", "listen", "clients", "keys.dir", "keys.rotate_every", "keys.prepublish",
        "keys.rsa_bits", "revocation.store", "issuance.allowed_cidrs",
        "revocation.max_staleness", "revocation.on_stale", "revocation.journal",
        "issuance.trusted_proxies", "issuance.rate_limit.per_client", "issuance.rate_limit.per_address",
        "tls.cert", "tls.key", "security_log",
        "gate.listen", "gate.jwks", "gate.audiences", "gate.required_scopes", "gate.cacert", "gate.trusted_proxies",
        "gate.max_in_flight",
    ];

    private static readonly string[] ClientKeys = ["id", "secret_hash", "scopes", "audiences", "jwks"];

    /// <summary>The embedded store's default location.</summary>
    public const string DefaultRevocationStore = "sqlite:/var/lib/tessera/revocations.db";

    /// <summary>Where an issuer on a Redis store keeps its durable journal (docs/operations.md).</summary>
    public const string DefaultRevocationJournal = "/var/lib/tessera/revocation-journal.db";

    /// <summary>Loopback and the private ranges of RFC 1918 and RFC 4193.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedCidrs =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    /// <summary>Reads <paramref name="path"/> and applies the environment's overrides.</summary>
    public static TesseraConfig Load(string path, IDictionary<string, string?>? environment = null) => Load(path, environment, forGate: false);

    /// <summary>
    /// Reads <paramref name="path"/> for <c>tessera gate</c>: <c>audiences</c> (the issuer's) is
    /// not needed; <c>gate.jwks</c> and <c>gate.audiences</c> are.
    /// </summary>
    public static TesseraConfig LoadForGate(string path, IDictionary<string, string?>? environment = null) => Load(path, environment, forGate: true);

    private static TesseraConfig Load(string path, IDictionary<string, string?>? environment, bool forGate)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: no such configuration file");
        }

        CheckOwnedAndNotWritableByOthers(path, "configuration file", "600");
        return Parse(File.ReadAllText(path), environment ?? Environment(), path, forGate);
    }

    /// <summary>
    /// Refuses a file or directory that someone else could change: writable by group or others,
    /// or owned by a user other than this one or root (it holds client secrets' hashes and says
    /// where the keys are). The message names the fix.
    /// </summary>
    public static void CheckOwnedAndNotWritableByOthers(string path, string what, string mode)
    {
        UnixFileMode current = File.GetUnixFileMode(path);
        if ((current & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new ConfigException($"{path}: the {what} is writable by group or others (mode {Convert.ToString((int)current, 8)}); run 'chmod {mode} {path}'");
        }

        (uint owner, uint me, bool accepted) = Tessera.Keys.KeyLocation.Ownership(path);
        if (!accepted)
        {
            throw new ConfigException($"{path}: the {what} is owned by uid {owner}, not by this user (uid {me}) or root; run 'chown {me} {path}'");
        }
    }

    /// <summary>Parses configuration text; <paramref name="source"/> names it in messages.</summary>
    public static TesseraConfig Parse(string json, IDictionary<string, string?> environment, string source = "auth.json") =>
        Parse(json, environment, source, forGate: false);

    private static TesseraConfig Parse(string json, IDictionary<string, string?> environment, string source, bool forGate)
    {
        ArgumentNullException.ThrowIfNull(environment);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, null, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 }) as JsonObject
                ?? throw new ConfigException($"{source}: the configuration must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"{source}: not valid JSON ({ex.Message})", ex);
        }

        var problems = new List<string>();
        CheckKnown(root, "", problems);
        ApplyEnvironment(root, environment, problems);
        var reader = new Reader(root, problems);
        TesseraConfig? config = Build(reader, forGate);
        if (problems.Count > 0 || config is null)
        {
            throw new ConfigException($"{source}: " + string.Join("; ", problems));
        }

        return config;
    }

    private static TesseraConfig? Build(Reader r, bool forGate)
    {
        IReadOnlyList<JwsAlgorithm> algs = r.Algorithms("allowed_algs", [JwsAlgorithm.EdDSA]);
        JwsAlgorithm signing = r.Algorithm("signing_alg", JwsAlgorithm.EdDSA);
        if (algs.Any(a => a.IsSymmetric) && algs.Any(a => !a.IsSymmetric))
        {
            r.Problem("allowed_algs", "mixes HMAC with asymmetric algorithms");
        }

        if (!forGate && !algs.Contains(signing))
        {
            r.Problem("signing_alg", $"{signing.Name} is not in allowed_algs");
        }

        TimeSpan ttl = r.Duration("token_ttl", TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(60));
        TimeSpan maxLifetime = r.Duration("max_token_lifetime", TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        if (ttl > maxLifetime)
        {
            r.Problem("token_ttl", "is longer than max_token_lifetime");
        }

        TimeSpan rotate = r.Duration("keys.rotate_every", TimeSpan.FromDays(30), TimeSpan.FromDays(1), TimeSpan.FromDays(365));
        TimeSpan prepublish = r.Duration("keys.prepublish", TimeSpan.FromDays(2), TimeSpan.FromHours(1), TimeSpan.FromDays(30));
        if (prepublish >= rotate)
        {
            r.Problem("keys.prepublish", "must be shorter than keys.rotate_every");
        }

        string typ = r.String("token_typ", JwtTypes.AccessToken);
        if (!JwtTypes.IsIssuable(typ))
        {
            r.Problem("token_typ", "must be at+jwt or JWT");
        }

        if (!RevocationStoreUri.TryParse(r.String("revocation.store", DefaultRevocationStore), out RevocationStoreUri? store, out string? storeProblem))
        {
            r.Problem("revocation.store", storeProblem!);
        }

        TimeSpan maxStaleness = r.Duration("revocation.max_staleness", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        string onStale = r.String("revocation.on_stale", "refuse");
        if (onStale is not ("refuse" or "accept"))
        {
            r.Problem("revocation.on_stale", $"'{onStale}' must be refuse or accept");
        }

        string journal = r.String("revocation.journal", DefaultRevocationJournal);
        if (journal.Length == 0 || journal.Contains('\0', StringComparison.Ordinal))
        {
            r.Problem("revocation.journal", "must be a file path");
        }

        // listen and the CIDR lists are parsed by the service (the core has no network code).
        string listen = r.String("listen", "https://0.0.0.0:443");
        IReadOnlyList<string> cidrs = r.StringList("issuance.allowed_cidrs", DefaultAllowedCidrs);
        IReadOnlyList<string> proxies = r.StringList("issuance.trusted_proxies", []);
        IReadOnlyList<string> audiences = r.StringList("audiences", forGate ? [] : null);
        IReadOnlyList<ClientConfig> clients = r.Clients("clients");
        for (int i = 0; i < clients.Count; i++)
        {
            // The service validates its own tokens (revoke, introspect) against `audiences`.
            foreach (string aud in clients[i].Audiences.Where(a => !audiences.Contains(a)))
            {
                r.Problem($"clients[{i}].audiences", $"'{aud}' is not one of the issuer's audiences");
            }
        }

        return new TesseraConfig
        {
            Issuer = r.RequiredString("issuer"),
            Audiences = audiences,
            AllowedAlgs = algs,
            SigningAlg = signing,
            TokenTyp = typ,
            TokenTtl = ttl,
            MaxTokenLifetime = maxLifetime,
            ClockSkew = r.Duration("clock_skew", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
            MaxTokenSize = (int)r.Size("max_token_size", TokenSize.Default, TokenSize.Min, TokenSize.Max),
            Listen = listen,
            Clients = clients,
            KeysDir = r.String("keys.dir", "/etc/jwt/keys"),
            RotateEvery = rotate,
            Prepublish = prepublish,
            RsaBits = r.Int("keys.rsa_bits", 4096, 2048, 8192),
            RevocationStore = store!,
            RevocationMaxStaleness = maxStaleness,
            RevocationAcceptStale = onStale == "accept",
            RevocationJournal = journal,
            AllowedCidrs = cidrs,
            TrustedProxies = proxies,
            RatePerClient = r.Rate("issuance.rate_limit.per_client", "100/s"),
            RatePerAddress = r.Rate("issuance.rate_limit.per_address", "1000/s"),
            TlsCert = r.OptionalString("tls.cert"),
            TlsKey = r.OptionalString("tls.key"),
            SecurityLog = r.String("security_log", "/var/log/auth/security.log"),
            Gate = Gate(r, forGate),
        };
    }

    // SPEC §4 and §9: the edge validator's keys. Only `tessera gate` needs jwks and audiences.
    private static GateConfig Gate(Reader r, bool forGate)
    {
        string? jwks = r.OptionalString("gate.jwks");
        IReadOnlyList<string> audiences = r.StringList("gate.audiences", []);
        if (forGate && jwks is null)
        {
            r.Problem("gate.jwks", "required for gate (the issuer's JWKS URL, https, or a JWKS file)");
        }

        if (forGate && audiences.Count == 0)
        {
            r.Problem("gate.audiences", "required for gate");
        }

        return new GateConfig
        {
            Listen = r.String("gate.listen", GateConfig.DefaultListen),
            Jwks = jwks,
            Audiences = audiences,
            RequiredScopes = r.StringList("gate.required_scopes", []),
            CaCert = r.OptionalString("gate.cacert"),
            TrustedProxies = r.StringList("gate.trusted_proxies", GateConfig.DefaultTrustedProxies),
            MaxInFlight = r.Int("gate.max_in_flight", GateConfig.DefaultMaxInFlight, 1, 1_000_000),
        };
    }

    private static void CheckKnown(JsonObject node, string prefix, List<string> problems)
    {
        foreach ((string name, JsonNode? value) in node)
        {
            string path = prefix + name;
            if (value is JsonObject child && Keys.Any(k => k.StartsWith(path + ".", StringComparison.Ordinal)))
            {
                CheckKnown(child, path + ".", problems);
            }
            else if (!Keys.Contains(path))
            {
                problems.Add($"{path}: unknown key");
            }
        }
    }

    private static void ApplyEnvironment(JsonObject root, IDictionary<string, string?> environment, List<string> problems)
    {
        foreach ((string name, string? value) in environment)
        {
            if (!name.StartsWith("TESSERA_", StringComparison.Ordinal) || NotConfig.Contains(name) || value is null)
            {
                continue;
            }

            string? key = Keys.FirstOrDefault(k => EnvironmentName(k) == name);
            if (key is null)
            {
                problems.Add($"{name}: not a configuration key (expected TESSERA_<KEY>, nested keys joined by __)");
                continue;
            }

            JsonObject parent = root;
            string[] parts = key.Split('.');
            foreach (string part in parts[..^1])
            {
                if (parent[part] is not JsonObject next)
                {
                    parent[part] = next = [];
                }

                parent = next;
            }

            parent[parts[^1]] = EnvironmentValue(value);
        }
    }

    /// <summary>The environment variable that overrides <paramref name="key"/>.</summary>
    public static string EnvironmentName(string key) =>
        "TESSERA_" + key.ToUpperInvariant().Replace(".", "__", StringComparison.Ordinal);

    // Lists and objects as JSON; anything else as a string (numbers too: "4096").
    private static JsonNode? EnvironmentValue(string value)
    {
        string trimmed = value.Trim();
        if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
        {
            try
            {
                return JsonNode.Parse(trimmed);
            }
            catch (JsonException)
            {
                return JsonValue.Create(value);
            }
        }

        return JsonValue.Create(value);
    }

    private static Dictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    internal static IReadOnlyList<string> KnownClientKeys => ClientKeys;
}
