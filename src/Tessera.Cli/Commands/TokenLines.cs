using System.Text;

namespace Tessera.Cli.Commands;

/// <summary>Reads one token per line, never holding more than a bounded line in memory.</summary>
internal static class TokenLines
{
    public static IEnumerable<string> Read(TextReader input, int maxLength)
    {
        var line = new StringBuilder();
        bool overflow = false;
        int c;
        while ((c = input.Read()) >= 0)
        {
            if (c == '\n')
            {
                yield return Finish(line, overflow, terminated: true);
                line.Clear();
                overflow = false;
            }
            else if (line.Length <= maxLength)
            {
                line.Append((char)c);
            }
            else
            {
                overflow = true;
            }
        }

        if (line.Length > 0 || overflow)
        {
            yield return Finish(line, overflow, terminated: false);
        }
    }

    // The line terminator (\n or \r\n, SPEC.md §3) frames the token and is not part of it;
    // anything else, including other whitespace and a CR not followed by LF (as at the end of
    // the input), is left for the validator to refuse. An over-long line is passed on truncated
    // but still over the limit, so it is refused for its size.
    private static string Finish(StringBuilder line, bool overflow, bool terminated)
    {
        if (terminated && !overflow && line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }

        return line.ToString();
    }
}
