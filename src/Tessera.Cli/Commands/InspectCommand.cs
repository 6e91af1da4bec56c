using System.Text.Json;
using Tessera.Validation;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera inspect</c> (SPEC.md §3).</summary>
internal static class InspectCommand
{
    private const string Help = """
        usage: tessera inspect [TOKEN|-] [--now UNIXTIME]

        Decodes the header and claims of a token WITHOUT verifying it, and lists what a validator
        with the default policy would object to. Never prints key material. Exit 0 when nothing
        was found, 1 when something would be refused.
        """;

    public static int Run(string[] argv, TextReader stdin, TextWriter stdout)
    {
        var args = new Args(argv, ["--now"], []);
        if (args.Help)
        {
            stdout.Write(Help);
            return 0;
        }

        if (args.Positionals.Count > 1)
        {
            throw new UsageException("give one TOKEN, or '-' to read tokens from stdin");
        }

        string? single = args.Positionals.Count == 1 && args.Positionals[0] != "-" ? args.Positionals[0] : null;
        IEnumerable<string> tokens = single is not null ? [single] : TokenLines.Read(stdin, 64 * 1024);
        bool clean = true;
        foreach (string token in tokens)
        {
            TokenInspection result = TokenInspector.Inspect(token, args.Clock());
            clean &= result.Findings.All(f => f.StartsWith("note:", StringComparison.Ordinal));
            stdout.WriteLine(Render(result));
        }

        return clean ? 0 : 1;
    }

    private static string Render(TokenInspection result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            WriteJson(writer, "header", result.Header);
            WriteJson(writer, "claims", result.Claims);
            writer.WriteStartArray("findings");
            foreach (string finding in result.Findings)
            {
                writer.WriteStringValue(finding);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    // Decoded JSON is shown as JSON when it parses, else as a string; never evaluated.
    private static void WriteJson(Utf8JsonWriter writer, string name, string? text)
    {
        writer.WritePropertyName(name);
        if (text is null)
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            doc.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(text);
        }
    }
}
