using Microsoft.AspNetCore.Builder;
using Tessera.Server.Configuration;
using Tessera.Keys;
using Tessera.Server;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera serve</c> (SPEC §3, §6).</summary>
internal static class ServeCommand
{
    private const string Help = """
        usage: tessera serve [--config FILE]

        Runs the token service (HTTPS, TLS 1.3 only): POST /token (client_credentials),
        GET /.well-known/jwks.json, discovery, POST /revoke, POST /introspect, /healthz, /readyz,
        /metrics. Without --config: a development profile under ./var on https://127.0.0.1:8443
        (keys made on first start, a self-signed certificate, one demo client whose secret is
        printed once). Rotated keys are picked up without a restart.
        """;

    public static async Task<int> RunAsync(string[] argv, TextWriter stdout)
    {
        var args = new Args(argv, ["--config"], []);
        if (args.Help)
        {
            await stdout.WriteAsync(Help);
            return 0;
        }

        JwksCommand.NoPositionals(args);
        string? configPath = args.Optional("--config") ?? Environment.GetEnvironmentVariable("TESSERA_CONFIG");
        bool development = configPath is null;
        configPath ??= DevelopmentProfile.Prepare("var", stdout);
        TesseraConfig config;
        try
        {
            config = ConfigLoader.Load(configPath);
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }

        // Security events are echoed to stdout for journald through a buffer flushed per batch
        // (Console.Out flushes every line, a system call per event).
        var context = new ServiceContext
        {
            AllowVolatileKeys = development || Environment.GetEnvironmentVariable(KeyDirectories.AllowVolatileVariable) == "1",
            Stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = false },
        };
        var keys = new KeyDirectory(config.KeysDir, config.Schedule, context.AllowVolatileKeys);
        if (development)
        {
            foreach (string note in keys.Rotate(config.SigningAlg, config.RsaBits, context.Time.GetUtcNow()).Notes)
            {
                await stdout.WriteLineAsync("keys: " + note);
            }
        }

        WebApplication app;
        try
        {
            app = await TokenService.BuildAsync(config, context);
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }

        await stdout.WriteLineAsync($"tessera: serving {config.Issuer} on {config.Listen}");
        await app.RunAsync();
        return 0;
    }
}
