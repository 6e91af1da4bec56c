using System.Text;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;

namespace Tessera.Validation;

/// <summary>
/// A read-only view of a verified token's claims. The payload is kept as the signed UTF-8 JSON;
/// strings are decoded only when asked for.
/// </summary>
public sealed class TokenClaims
{
    private readonly byte[] _buffer;
    private readonly int _payloadLength;
    private ClaimSet _set;
    private string? _jti;
    private string? _sub;
    private string? _clientId;

    internal TokenClaims(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> arena, in ClaimSet set, JwsKey key, KeySet verifiedBy)
    {
        _buffer = new byte[payload.Length + arena.Length];
        payload.CopyTo(_buffer);
        arena.CopyTo(_buffer.AsSpan(payload.Length));
        _payloadLength = payload.Length;
        _set = set;
        _set.Shift(payload.Length);
        Key = key;
        VerifiedBy = verifiedBy;
    }

    /// <summary><c>iss</c>.</summary>
    public string? Issuer => Text(_set.Iss);

    /// <summary><c>sub</c>.</summary>
    public string? Subject => _sub ??= Text(_set.Sub);

    /// <summary><c>jti</c>.</summary>
    public string? JwtId => _jti ??= Text(_set.Jti);

    /// <summary><c>client_id</c> (RFC 9068 §2.2).</summary>
    public string? ClientId => _clientId ??= Text(_set.ClientId);

    /// <summary><c>scope</c>, space-separated (RFC 9068 §2.2.3).</summary>
    public string? Scope => Text(_set.Scope);

    /// <summary>The header's <c>typ</c>.</summary>
    public string? Type => Text(_set.Typ);

    /// <summary><c>aud</c> as a list (a single string gives one entry).</summary>
    public IReadOnlyList<string> Audiences
    {
        get
        {
            var list = new string[_set.AudCount];
            for (int i = 0; i < list.Length; i++)
            {
                list[i] = Text(_set.Aud[i])!;
            }

            return list;
        }
    }

    /// <summary><c>exp</c> in Unix seconds (rounded down).</summary>
    public long? ExpiresAt => _set.HasExp ? _set.Exp : null;

    /// <summary><c>nbf</c> in Unix seconds (rounded up).</summary>
    public long? NotBefore => _set.HasNbf ? _set.Nbf : null;

    /// <summary><c>iat</c> in Unix seconds (rounded up).</summary>
    public long? IssuedAt => _set.HasIat ? _set.Iat : null;

    /// <summary>The signed payload, UTF-8 JSON exactly as sent.</summary>
    public ReadOnlySpan<byte> Utf8Json => _buffer.AsSpan(0, _payloadLength);

    /// <summary>The key id that verified the token.</summary>
    public string KeyId => Key.KeyId;

    /// <summary>The algorithm the token was signed with.</summary>
    public JwsAlgorithm Algorithm => Key.Algorithm;

    internal JwsKey Key { get; }

    internal KeySet VerifiedBy { get; }

    internal ref readonly ClaimSet Set => ref _set;

    /// <summary>The payload as a JSON string.</summary>
    public string ToJson() => Encoding.UTF8.GetString(Utf8Json);

    /// <summary>Parses the payload for claims beyond the registered ones.</summary>
    public JsonDocument ToJsonDocument() => JsonDocument.Parse(_buffer.AsMemory(0, _payloadLength));

    /// <summary>True when the space-separated <c>scope</c> contains <paramref name="scope"/>.</summary>
    public bool HasScope(string scope)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ReadOnlySpan<byte> all = Bytes(_set.Scope);
        Span<byte> wanted = stackalloc byte[Encoding.UTF8.GetMaxByteCount(scope.Length)];
        wanted = wanted[..Encoding.UTF8.GetBytes(scope, wanted)];
        foreach (Range r in all.Split((byte)' '))
        {
            if (all[r].SequenceEqual(wanted))
            {
                return true;
            }
        }

        return false;
    }

    internal ReadOnlySpan<byte> Bytes(Utf8Slice slice) => slice.Of(_buffer);

    private string? Text(Utf8Slice slice) => slice.IsPresent ? Encoding.UTF8.GetString(slice.Of(_buffer)) : null;
}
