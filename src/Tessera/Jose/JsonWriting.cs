using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tessera.Jose;

/// <summary>
/// Writer settings for JOSE output: no HTML-safe escaping (so "at+jwt" stays "at+jwt" and
/// compact headers stay small); quotes, backslashes and control characters are still escaped.
/// </summary>
internal static class JsonWriting
{
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };
}
