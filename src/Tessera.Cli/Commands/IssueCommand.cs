using System.Text.Json;
using Tessera.Issuance;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera issue</c> (SPEC.md §3).</summary>
internal static class IssueCommand
{
    private const string Help = """
        usage: tessera issue --keys DIR --issuer ISS --audience AUD --subject SUB [--ttl DUR]
                             [--scope S] [--claim NAME=VALUE]... [--type TYP] [--now UNIXTIME]

        Prints an access token (RFC 9068) signed by the key that is active at that moment.
          --audience AUD      audience (repeatable)
          --ttl DUR           lifetime, 1m to 60m (default 15m)
          --scope S           space-separated scopes
          --claim NAME=VALUE  extra claim; VALUE is JSON when it parses as JSON, else a string
          --type TYP          at+jwt (default) or JWT
        """;

    public static int Run(string[] argv, TextWriter stdout)
    {
        var args = new Args(argv, ["--keys", "--issuer", "--audience", "--subject", "--ttl", "--scope", "--claim", "--type", "--now"], []);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        JwksCommand.NoPositionals(args);
        TimeProvider clock = args.Clock();
        var options = new IssuanceOptions
        {
            Issuer = args.Required("--issuer"),
            Lifetime = args.Duration("--ttl") ?? TimeSpan.FromMinutes(15),
            Type = args.Optional("--type") ?? JwtTypes.AccessToken,
        };
        IReadOnlyList<string> problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new UsageException(string.Join("; ", problems));
        }

        var dir = KeyDirectories.Open(args.Required("--keys"));
        DateTimeOffset now = clock.GetUtcNow();
        StoredKey active = dir.ActiveAt(now)
            ?? throw new UsageException($"no key in {dir.Path} is active at {now:yyyy-MM-ddTHH:mm:ssZ}; run 'tessera keygen --out {dir.Path}'");

        var request = new TokenRequest
        {
            Subject = args.Required("--subject"),
            Audiences = args.All("--audience").Count > 0 ? args.All("--audience") : throw new UsageException("--audience is required"),
            Scope = args.Optional("--scope"),
            Claims = Claims(args.All("--claim")),
        };
        try
        {
            stdout.WriteLine(new TokenIssuer(options, clock).Issue(active.Key, request).Token);
        }
        catch (TokenTooLargeException ex)
        {
            throw new UsageException(ex.Message);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        return 0;
    }

    private static Dictionary<string, JsonElement> Claims(IReadOnlyList<string> pairs)
    {
        var claims = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"--claim: '{pair}' is not NAME=VALUE");
            }

            string value = pair[(eq + 1)..];
            JsonElement element;
            try
            {
                using JsonDocument doc = JsonDocument.Parse(value, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
                element = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                element = JsonSerializer.SerializeToElement(value);
            }

            if (!claims.TryAdd(pair[..eq], element))
            {
                throw new UsageException($"--claim: {pair[..eq]} given twice");
            }
        }

        return claims;
    }
}
