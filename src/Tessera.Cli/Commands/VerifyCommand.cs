using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Server.Configuration;
using Tessera.Server.Revocation;
using Tessera.Validation;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera verify</c> (SPEC.md §3).</summary>
internal static class VerifyCommand
{
    private const string Help = """
        usage: tessera verify [TOKEN|-] (--jwks FILE|URL [--cacert PEM] | --key PEMFILE) --issuer ISS --audience AUD...
                              [--alg ALG]... [--type TYP] [--skew DUR|SECONDS]
                              [--max-lifetime DUR|SECONDS] [--now UNIXTIME] [--json]
                              [--revocation URI]

        Checks a token (or, with '-' or no TOKEN, one token per line from stdin; one answer per
        line, in order). Exit 0 when every token is valid, 1 when any is refused, 2 on usage errors.
        Key files, certificates and key sets are read to 1 MiB at most.
          --jwks FILE|URL      JWK Set to verify against: a file, or an https: URL (redirects
                               followed only to the same origin, at most 3)
          --key PEMFILE        a single key: SPKI or PKCS#8 PEM, or a JWK file
          --cacert PEMFILE     trust this CA (or self-signed) certificate for an https --jwks URL
          --issuer ISS         the exact iss required
          --audience AUD       an accepted audience (repeatable)
          --alg ALG            allowed algorithm (repeatable; default: those of the loaded keys)
          --type TYP           required typ (default at+jwt)
          --skew DUR           clock skew allowed (default 30s, at most 5m)
          --max-lifetime DUR   largest exp - iat accepted (default 60m)
          --now UNIXTIME       fix the clock
          --revocation URI     also refuse revoked tokens (jti or cutoff) of this store:
                               sqlite:PATH, redis://[USER:PASSWORD@]HOST:PORT[/DB], rediss://...,
                               redis-sentinel://HOST:PORT[,HOST:PORT]/SERVICE. Redis is read
                               once before the first answer (exit 2 when it cannot be), then
                               followed every second; when the copy is older than 5s tokens
                               are refused: "Token revoked: revocation list stale"
          --json               answer {"valid":true,"claims":{...}} or {"valid":false,"error":..,"message":..}
        """;

    private static readonly string[] Flags =
        ["--jwks", "--key", "--cacert", "--issuer", "--audience", "--alg", "--type", "--skew", "--max-lifetime", "--now", "--revocation"];

    public static async Task<int> RunAsync(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new Args(argv, Flags, ["--json"]);
        if (args.Help)
        {
            await stdout.WriteAsync(Help);
            return 0;
        }

        if (args.Positionals.Count > 1)
        {
            throw new UsageException("give one TOKEN, or '-' to read tokens from stdin");
        }

        IReadOnlyList<JwsAlgorithm> algs = args.Algorithms();
        KeySet keys = await KeyLoader.LoadAsync(args.Optional("--jwks"), args.Optional("--key"), algs.Count == 1 ? algs[0] : null, args.Optional("--cacert"));
        if (keys.Keys.Count == 0)
        {
            throw new UsageException("the key set holds no usable signing key");
        }

        var defaults = new ValidationOptions { Issuer = "-", Audiences = ["-"], Algorithms = [JwsAlgorithm.EdDSA] };
        var options = new ValidationOptions
        {
            Issuer = args.Required("--issuer"),
            Audiences = args.All("--audience").Count > 0 ? args.All("--audience") : throw new UsageException("--audience is required"),
            Algorithms = algs.Count > 0 ? algs : keys.Algorithms,
            Type = args.Optional("--type") ?? defaults.Type,
            ClockSkew = args.Duration("--skew") ?? defaults.ClockSkew,
            MaxLifetime = args.Duration("--max-lifetime") ?? defaults.MaxLifetime,
        };
        IReadOnlyList<string> problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new UsageException(string.Join("; ", problems));
        }

        TimeProvider clock = args.Clock();
        using IRevocationStore? revocations = OpenRevocations(args.Optional("--revocation"), clock);
        var validator = new TokenValidator(options, keys, clock, revocations);
        bool json = args.Has("--json");
        string? single = args.Positionals.Count == 1 && args.Positionals[0] != "-" ? args.Positionals[0] : null;
        IEnumerable<string> tokens = single is not null ? [single] : TokenLines.Read(stdin, options.MaxTokenSize);

        bool allValid = true;
        foreach (string token in tokens)
        {
            ValidationResult result = validator.Validate(token);
            allValid &= result.IsValid;
            await stdout.WriteLineAsync(json ? Json(result) : Text(result));
        }

        return allValid ? 0 : 1;
    }

    private static IRevocationStore? OpenRevocations(string? text, TimeProvider clock)
    {
        if (text is null)
        {
            return null;
        }

        if (!RevocationStoreUri.TryParse(text, out RevocationStoreUri? uri, out string? problem))
        {
            throw new UsageException("--revocation: " + problem);
        }

        try
        {
            return RevocationStores.Open(uri!, clock, TimeSpan.FromSeconds(5), journal: null, oneShot: true);
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message.Replace("revocation.store:", "--revocation:", StringComparison.Ordinal));
        }
    }

    private static string Text(ValidationResult result) =>
        result.IsValid ? "valid" : $"invalid: {result} ({result.Code})";

    private static string Json(ValidationResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", result.IsValid);
            if (result.IsValid)
            {
                // Re-written compactly: a payload may hold newlines between members, and each
                // answer must stay on one line.
                writer.WritePropertyName("claims");
                using JsonDocument claims = JsonDocument.Parse(result.Claims!.Utf8Json.ToArray());
                claims.RootElement.WriteTo(writer);
            }
            else
            {
                writer.WriteString("error", result.Code);
                writer.WriteString("message", result.Message);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
