using Tessera.Cli;
using Tessera.Cli.Commands;
using Tessera.Keys;
using Tessera.Server.Configuration;

// Exit codes (SPEC.md §3): 0 success, 1 a token or check was refused, 2 usage or configuration.
const string Usage = """
    usage: tessera <command> [options]

    commands:
      keygen    make a new signing key in a key directory
      jwks      print the public JWK Set of a key directory
      issue     sign an access token with the active key
      verify    check tokens against a JWKS or a public key
      inspect   decode a token without trusting it
      rotate    move the key lifecycle forward (idempotent; run from a timer)
      keys      keys import: adopt a key made by openssl
      doctor    check the installation (modes, key sizes, clock, OpenSSL, ...)
      serve     run the token service (development profile under ./var without --config)
      gate      the edge validator behind nginx, Envoy or Traefik
      client    client add: register a client of the token service
      revoke    put a token (or a jti) on the deny list

    Run 'tessera <command> --help' for the options of a command.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.Write(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    string[] rest = args[1..];
    return args[0] switch
    {
        "verify" => await VerifyCommand.RunAsync(rest, Console.In, Console.Out),
        "issue" => IssueCommand.Run(rest, Console.Out),
        "inspect" => InspectCommand.Run(rest, Console.In, Console.Out),
        "keygen" => KeygenCommand.Run(rest, Console.Out, Console.Error),
        "jwks" => JwksCommand.Run(rest, Console.Out),
        "rotate" => RotateCommand.Run(rest, Console.Out, Console.Error),
        "keys" => KeysCommand.Run(rest, Console.Out),
        "doctor" => DoctorCommand.Run(rest, Console.Out),
        "serve" => await ServeCommand.RunAsync(rest, Console.Out),
        "gate" => await GateCommand.RunAsync(rest, Console.Out),
        "client" => ClientCommand.Run(rest, Console.Out),
        "revoke" => RevokeCommand.Run(rest, Console.Out),
        _ => throw new UsageException($"unknown command '{args[0]}'\n\n{Usage}"),
    };
}
catch (Exception ex) when (ex is UsageException or ConfigException or KeyException or IOException or UnauthorizedAccessException)
{
    // Usage, key and file problems are the operator's to fix: one line, exit 2, no stack trace.
    await Console.Error.WriteLineAsync("tessera: " + ex.Message);
    return 2;
}
