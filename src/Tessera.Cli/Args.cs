using System.Globalization;
using Tessera.Algorithms;
using Tessera.Server.Configuration;

namespace Tessera.Cli;

/// <summary>
/// Command-line arguments: <c>--flag value</c> or <c>--flag=value</c>, repeatable flags, boolean
/// switches, and positionals. Unknown flags are usage errors.
/// </summary>
internal sealed class Args
{
    private const string AlgFlag = "--alg";

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args, IReadOnlyCollection<string> flags, IReadOnlyCollection<string> switches)
    {
        using IEnumerator<string> e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string arg = e.Current;
            if (arg is "-h" or "--help")
            {
                Help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                Positionals.Add(arg);
                continue;
            }

            string name = arg;
            string? value = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }

            if (switches.Contains(name) && value is null)
            {
                _switches.Add(name);
                continue;
            }

            if (!flags.Contains(name))
            {
                throw new UsageException($"unknown option {name}");
            }

            if (value is null)
            {
                value = e.MoveNext() ? e.Current : throw new UsageException($"{name} needs a value");
            }

            if (!_values.TryGetValue(name, out List<string>? list))
            {
                _values[name] = list = [];
            }

            list.Add(value);
        }
    }

    public bool Help { get; }

    public List<string> Positionals { get; } = [];

    public bool Has(string flag) => _switches.Contains(flag) || _values.ContainsKey(flag);

    public IReadOnlyList<string> All(string flag) => _values.TryGetValue(flag, out List<string>? list) ? list : [];

    public string? Optional(string flag)
    {
        IReadOnlyList<string> all = All(flag);
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw new UsageException($"{flag} may be given only once"),
        };
    }

    public string Required(string flag) => Optional(flag) ?? throw new UsageException($"{flag} is required");

    /// <summary>A duration flag (<c>30s</c>, <c>15m</c>, <c>2h</c>, <c>30d</c>, or plain seconds), or null when absent.</summary>
    public TimeSpan? Duration(string flag) =>
        Optional(flag) is not string text ? null
        : Units.TryParseDuration(text, out TimeSpan value) ? value
        : throw new UsageException($"{flag}: '{text}' is not a duration (e.g. 30s, 15m, 2h, 30d)");

    /// <summary>The <c>--bits</c> of new RSA keys, or null when absent.</summary>
    public int? RsaBits() =>
        Optional("--bits") is not string text ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int bits) ? bits
        : throw new UsageException($"--bits: '{text}' is not a number");

    /// <summary>The one <c>--alg</c>, or null when absent.</summary>
    public JwsAlgorithm? Algorithm() => Optional(AlgFlag) is string name ? ParseAlgorithm(name) : null;

    /// <summary>Every <c>--alg</c> given (the flag may repeat).</summary>
    public IReadOnlyList<JwsAlgorithm> Algorithms() => [.. All(AlgFlag).Select(ParseAlgorithm)];

    /// <summary>The clock: fixed by <c>--now UNIXTIME</c>, else the system clock.</summary>
    public TimeProvider Clock()
    {
        string? now = Optional("--now");
        if (now is null)
        {
            return TimeProvider.System;
        }

        return long.TryParse(now, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds)
            && seconds is >= 0 and <= 253402300799
            ? new FixedClock(DateTimeOffset.FromUnixTimeSeconds(seconds))
            : throw new UsageException($"--now: '{now}' is not a Unix time in seconds");
    }

    private static JwsAlgorithm ParseAlgorithm(string name) =>
        JwsAlgorithm.TryParse(name, out JwsAlgorithm alg)
            ? alg
            : throw new UsageException($"{AlgFlag}: unknown algorithm '{name}' (names are case-sensitive; 'none' is never accepted)");

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
