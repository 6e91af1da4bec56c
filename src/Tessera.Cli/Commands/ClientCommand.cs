using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Clients;
using Tessera.Server.Configuration;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera client add</c> (SPEC §3).</summary>
internal static class ClientCommand
{
    private const string Help = """
        usage: tessera client add ID --config FILE [--scope S]... [--audience AUD]... [--jwks FILE|URL]

        Registers a client in auth.json. Without --jwks it generates a 256-bit secret, prints it
        ONCE, and stores only its salted hash (client_secret_basic / client_secret_post). With
        --jwks the client authenticates with private_key_jwt (RFC 7523) using those keys.
        A running service reads clients at start: restart it after adding one.
        """;

    public static int Run(string[] argv, TextWriter stdout)
    {
        if (argv.Length == 0 || argv[0] is "-h" or "--help")
        {
            stdout.Write(Help);
            return argv.Length == 0 ? 2 : 0;
        }

        if (argv[0] != "add")
        {
            throw new UsageException($"unknown client subcommand '{argv[0]}' (expected add)");
        }

        var args = new Args(argv[1..], ["--config", "--scope", "--audience", "--jwks"], []);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        if (args.Positionals.Count != 1)
        {
            throw new UsageException("give exactly one client ID");
        }

        string id = args.Positionals[0];
        string path = args.Required("--config");
        JsonObject root = JsonNode.Parse(File.ReadAllText(path), null, new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
            ?? throw new UsageException($"{path}: not a JSON object");
        JsonArray clients = root["clients"] as JsonArray ?? [];
        if (clients.OfType<JsonObject>().Any(c => c["id"]?.GetValue<string>() == id))
        {
            throw new UsageException($"client '{id}' is already registered in {path}");
        }

        string? secret = null;
        var client = new JsonObject { ["id"] = id };
        if (args.Optional("--jwks") is string jwks)
        {
            try
            {
                // Read now, so a JWK Set that serve would refuse (an HMAC key) is refused here.
                _ = ClientKeys.LoadAsync(jwks, "--jwks").GetAwaiter().GetResult();
            }
            catch (ConfigException ex)
            {
                throw new UsageException(ex.Message);
            }

            client["jwks"] = jwks;
        }
        else
        {
            (secret, string hash) = ClientSecret.Generate();
            client["secret_hash"] = hash;
        }

        client["scopes"] = new JsonArray([.. args.All("--scope").Select(s => (JsonNode?)s)]);
        client["audiences"] = new JsonArray([.. args.All("--audience").Select(a => (JsonNode?)a)]);
        clients.Add(client);
        root["clients"] = clients;
        string text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        try
        {
            ConfigLoader.Parse(text, new Dictionary<string, string?>(), path);
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }

        Tessera.Keys.AtomicFile.Write(path, text, File.GetUnixFileMode(path));
        stdout.WriteLine(secret is null
            ? $"client {id} registered (private_key_jwt)"
            : $"client {id} registered; secret (shown once, only its hash is stored): {secret}");
        return 0;
    }
}
