using Microsoft.AspNetCore.Builder;
using Tessera.Server;
using Tessera.Server.Configuration;
using Tessera.Server.Gate;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera gate</c> (docs/SPEC.md §3, §9).</summary>
internal static class GateCommand
{
    private const string Help = """
        usage: tessera gate [--config FILE]

        The edge validator for reverse proxies (nginx auth_request, Envoy ext_authz over HTTP,
        Traefik forwardAuth). Any method on any path: 200 with X-Tessera-Subject,
        X-Tessera-Client-Id, X-Tessera-Scope and X-Tessera-Jti for a valid token; 401 with an
        RFC 6750 WWW-Authenticate for a missing or refused token; 403 without
        gate.required_scopes; 503 when it cannot decide. GET /healthz, /readyz, /metrics on the
        same listener (default http://127.0.0.1:9090). Reads issuer, allowed_algs, token_typ,
        clock_skew, max_token_lifetime, security_log and gate.* from the configuration file
        (default /opt/app/config/auth.json or $TESSERA_CONFIG).
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
        string configPath = args.Optional("--config") ?? Environment.GetEnvironmentVariable("TESSERA_CONFIG") ?? TesseraConfig.DefaultPath;
        WebApplication app;
        try
        {
            TesseraConfig config = ConfigLoader.LoadForGate(configPath);
            app = GateService.Build(config, new ServiceContext
            {
                Stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = false },
            });
            await stdout.WriteLineAsync($"tessera: gate for {config.Issuer} on {config.Gate.Listen}");
        }
        catch (ConfigException ex)
        {
            throw new UsageException(ex.Message);
        }

        await app.RunAsync();
        return 0;
    }
}
