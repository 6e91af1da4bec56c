// SPEC §8: JSON lines, one event per issuance, refusal (with its code), revocation, rotation and
// denied request, to the security log file and to stdout (journald). Events carry identifiers
// (client_id, jti, kid, address), never a whole token, a secret or a key. Requests do not wait
// on the disk: lines go through a bounded queue to one writer, which flushes after each batch
// (a full queue makes writers wait rather than lose events); Dispose drains it.
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.Json;
using System.Threading.Channels;

namespace Tessera.Server;

/// <summary>The security log.</summary>
public sealed class SecurityLog : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = LogEncoder() };

    private readonly StreamWriter? _file;
    private readonly TextWriter? _stdout;
    private readonly TimeProvider _time;
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(65_536)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Task _writer;

    /// <summary>Opens the log (append, mode 0640) at <paramref name="path"/>; null for stdout only.</summary>
    public SecurityLog(string? path, TimeProvider time, TextWriter? stdout)
    {
        _time = time;
        _stdout = stdout;
        if (path is not null)
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            var options = new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                Share = FileShare.ReadWrite,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
            };
            _file = new StreamWriter(new FileStream(path, options));
        }

        _writer = Task.Run(DrainAsync);
    }

    /// <summary>
    /// Queues one event: <paramref name="name"/> plus fields. On a request path; completes at once
    /// unless the queue is full, and then waits for room without blocking a thread.
    /// </summary>
    public ValueTask WriteAsync(string name, params (string Key, object? Value)[] fields)
    {
        string line = Format(name, fields);
        return _queue.Writer.TryWrite(line) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(line);
    }

    /// <summary>Queues one event from a background or start-up path (waits when the queue is full).</summary>
    public void Write(string name, params (string Key, object? Value)[] fields)
    {
        ValueTask pending = WriteAsync(name, fields);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    private string Format(string name, (string Key, object? Value)[] fields)
    {
        var evt = new Dictionary<string, object?> { ["time"] = _time.GetUtcNow().ToString("O"), ["event"] = name };
        foreach ((string key, object? value) in fields)
        {
            if (value is not null)
            {
                evt[key] = value;
            }
        }

        return JsonSerializer.Serialize(evt, Json);
    }

    /// <summary>Writes every queued event out and closes the file.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        _file?.Dispose();
    }

    private async Task DrainAsync()
    {
        ChannelReader<string> reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out string? line))
            {
                _file?.WriteLine(line);
                _stdout?.WriteLine(line);
            }

            _file?.Flush();
            _stdout?.Flush();
        }
    }

    // Any script may appear unescaped (a client id in Cyrillic stays readable), except characters
    // that change how a line looks in a terminal or viewer without being visible themselves:
    // the bidi controls (a U+202E in a client_id reverses the rest of the line), zero-width and
    // invisible format characters, and the line and paragraph separators. They are escaped
    // (\u202E) like the C0 controls the encoder always escapes.
    private static JavaScriptEncoder LogEncoder()
    {
        var settings = new TextEncoderSettings(UnicodeRanges.All);
        settings.ForbidCharacters('\u061C', '\u180E', '\u2028', '\u2029', '\uFEFF');
        settings.ForbidRange(new UnicodeRange(0x200B, 5));  // ZWSP, ZWNJ, ZWJ, LRM, RLM
        settings.ForbidRange(new UnicodeRange(0x202A, 5));  // LRE, RLE, PDF, LRO, RLO
        settings.ForbidRange(new UnicodeRange(0x2060, 5));  // word joiner, invisible operators
        settings.ForbidRange(new UnicodeRange(0x2066, 4));  // LRI, RLI, FSI, PDI
        return JavaScriptEncoder.Create(settings);
    }
}
