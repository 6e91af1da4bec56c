using System.Globalization;

namespace Tessera.Server.Configuration;

/// <summary>The value syntaxes of SPEC §3–§4: durations (30s, 15m, 2h, 30d), sizes (8KiB), rates (100/s).</summary>
public static class Units
{
    /// <summary>Parses <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>30d</c>, or plain seconds.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        char unit = text[^1];
        string digits = char.IsAsciiDigit(unit) ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > 100L * 365 * 86400)
        {
            return false;
        }

        TimeSpan? parsed = unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ when char.IsAsciiDigit(unit) => TimeSpan.FromSeconds(n),
            _ => null,
        };
        value = parsed ?? default;
        return parsed is not null;
    }

    /// <summary>Parses a size: bytes, or with <c>KiB</c>/<c>MiB</c>.</summary>
    public static bool TryParseSize(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        (string digits, long factor) = text.EndsWith("KiB", StringComparison.Ordinal) ? (text[..^3], 1024L)
            : text.EndsWith("MiB", StringComparison.Ordinal) ? (text[..^3], 1024L * 1024)
            : (text, 1L);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > int.MaxValue)
        {
            return false;
        }

        bytes = n * factor;
        return true;
    }

    /// <summary>Parses a rate <c>N/s</c>, <c>N/m</c>, or <c>0</c> (off).</summary>
    public static bool TryParseRate(string? text, out int permits, out TimeSpan window)
    {
        permits = 0;
        window = TimeSpan.FromSeconds(1);
        if (text == "0")
        {
            return true;
        }

        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0 || !int.TryParse(text![..slash], NumberStyles.None, CultureInfo.InvariantCulture, out permits) || permits <= 0)
        {
            return false;
        }

        TimeSpan? w = text[(slash + 1)..] switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => null,
        };
        window = w ?? default;
        return w is not null;
    }
}
