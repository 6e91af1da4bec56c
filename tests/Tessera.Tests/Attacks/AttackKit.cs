using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Attacks;

/// <summary>
/// Token surgery for the attack rows: build header and claims JSON exactly, sign bytes with real
/// keys, cut and splice segments. Everything is relative to <see cref="Tokens.Now"/> on a fake clock.
/// </summary>
internal static class Kit
{
    public const long Now = Tokens.Now;

    public static JwsKey Key(string alg) => TestKeys.For(alg);

    // ---- validators -------------------------------------------------------------------------

    public static TokenValidator V(JwsKey key, int cacheSize = 10_000, IRevocationList? revocations = null) =>
        Validators.For(key, new FakeClock(Now), revocations, cacheSize);

    public static TokenValidator V(KeySet keys, int cacheSize = 10_000, IRevocationList? revocations = null) =>
        Validators.For(keys, new FakeClock(Now), revocations, cacheSize);

    /// <summary>A validator with the default policy changed by <paramref name="change"/>.</summary>
    public static TokenValidator V(KeySet keys, Func<ValidationOptions, ValidationOptions> change, long now = Now, IRevocationList? revocations = null) =>
        new(change(Validators.Options(keys.Algorithms)), keys, new FakeClock(now), revocations);

    public static TokenValidator V(JwsKey key, Func<ValidationOptions, ValidationOptions> change, long now = Now) =>
        V(new KeySet([key]), change, now);

    /// <summary>A validator whose allow-list is <paramref name="algorithms"/> rather than the set's.</summary>
    public static TokenValidator VAllow(KeySet keys, params JwsAlgorithm[] algorithms) =>
        V(keys, o => o with { Algorithms = algorithms });

    public static TokenValidator VAt(JwsKey key, long now) => Validators.For(key, new FakeClock(now));

    // ---- JSON --------------------------------------------------------------------------------

    /// <summary>A JSON string literal (escaped as System.Text.Json escapes it).</summary>
    public static string Q(string value) => JsonSerializer.Serialize(value);

    /// <summary>A header: alg, typ, kid (each left out when null), then <paramref name="extra"/> raw members.</summary>
    public static string Header(string? alg, string? kid, string? typ = "at+jwt", string? extra = null)
    {
        var members = new List<string>();
        if (alg is not null)
        {
            members.Add("\"alg\":" + Q(alg));
        }

        if (typ is not null)
        {
            members.Add("\"typ\":" + Q(typ));
        }

        if (kid is not null)
        {
            members.Add("\"kid\":" + Q(kid));
        }

        if (extra is not null)
        {
            members.Add(extra);
        }

        return "{" + string.Join(",", members) + "}";
    }

    public static string Header(JwsKey key, string? typ = "at+jwt", string? extra = null) =>
        Header(key.Algorithm.Name, key.KeyId, typ, extra);

    /// <summary>
    /// The baseline claims (iss, sub, aud, exp = now + 300, iat = now, jti) with raw JSON changes:
    /// a member given with a null value is removed, an existing one replaced in place, a new one
    /// appended.
    /// </summary>
    public static string Claims(params (string Name, string? Raw)[] changes)
    {
        var members = new List<(string Name, string Raw)>
        {
            ("iss", Q(Tokens.Issuer)),
            ("sub", Q("device-1")),
            ("aud", Q(Tokens.Audience)),
            ("exp", (Now + 300).ToString()),
            ("iat", Now.ToString()),
            ("jti", Q("id-" + Guid.NewGuid().ToString("N"))),
        };
        foreach ((string name, string? raw) in changes)
        {
            int at = members.FindIndex(m => m.Name == name);
            if (raw is null)
            {
                if (at >= 0)
                {
                    members.RemoveAt(at);
                }
            }
            else if (at >= 0)
            {
                members[at] = (name, raw);
            }
            else
            {
                members.Add((name, raw));
            }
        }

        return "{" + string.Join(",", members.Select(m => Q(m.Name) + ":" + m.Raw)) + "}";
    }

    // ---- signing -----------------------------------------------------------------------------

    /// <summary>Signs exact header and payload JSON text with a real key.</summary>
    public static string Sign(JwsKey key, string headerJson, string payloadJson) => Tokens.Sign(key, headerJson, payloadJson);

    /// <summary>A valid token for the key with these claim changes.</summary>
    public static string Tok(JwsKey key, params (string Name, string? Raw)[] changes) =>
        Tokens.Sign(key, Header(key), Claims(changes));

    /// <summary>Signs exact header and payload bytes with a real key.</summary>
    public static string SignBytes(JwsKey key, byte[] header, byte[] payload) =>
        Tokens.SignEncoded(key, Tokens.B64(header) + "." + Tokens.B64(payload));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>An HMAC over <paramref name="data"/> with any secret (even one no key would accept).</summary>
    public static byte[] Hmac(JwsAlgorithm alg, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> data) => alg.Name switch
    {
        "HS256" => HMACSHA256.HashData(secret, data),
        "HS384" => HMACSHA384.HashData(secret, data),
        "HS512" => HMACSHA512.HashData(secret, data),
        _ => throw new ArgumentException("not an HMAC algorithm: " + alg.Name),
    };

    /// <summary>A token whose signature is an HMAC of the encoded header and payload with <paramref name="secret"/>.</summary>
    public static string MacToken(JwsAlgorithm alg, ReadOnlySpan<byte> secret, string headerJson, string payloadJson)
    {
        string input = Tokens.B64(headerJson) + "." + Tokens.B64(payloadJson);
        return input + "." + Tokens.B64(Hmac(alg, secret, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>The same key material bound to another algorithm (same kid, since RFC 7638 ignores alg).</summary>
    public static JwsKey Rebind(JwsKey key, JwsAlgorithm algorithm) =>
        JwsKey.ImportPem(key.ExportPrivateKeyPem(), algorithm, key.KeyId);

    /// <summary>A key with an explicit kid (the same material re-imported).</summary>
    public static JwsKey WithKid(JwsKey key, string kid) =>
        key.Algorithm.IsSymmetric
            ? new HmacKey(key.Algorithm, SecretOf(key), kid)
            : JwsKey.ImportPem(key.ExportPrivateKeyPem(), key.Algorithm, kid);

    public static byte[] SecretOf(JwsKey hmacKey)
    {
        using JsonDocument doc = JsonDocument.Parse(hmacKey.ExportPrivateJwk());
        return Base64Url.Decode(doc.RootElement.GetProperty("k").GetString()!)!;
    }

    public static JwsKey PublicOnly(JwsKey key) => JwsKey.ImportPem(key.ExportPublicKeyPem(), key.Algorithm, key.KeyId);

    // ---- segments ----------------------------------------------------------------------------

    public static string[] Parts(string token) => token.Split('.');

    public static string H(string token) => Parts(token)[0];

    public static string P(string token) => Parts(token)[1];

    public static string S(string token) => Parts(token)[2];

    public static byte[] SigBytes(string token) => Base64Url.Decode(S(token))!;

    public static string WithSig(string token, ReadOnlySpan<byte> signature) =>
        H(token) + "." + P(token) + "." + Base64Url.Encode(signature);

    public static string WithSegment(string token, int index, string segment)
    {
        string[] parts = Parts(token);
        parts[index] = segment;
        return string.Join(".", parts);
    }

    public static string Insert(string text, int at, string what) => text[..at] + what + text[at..];

    /// <summary>Sets a non-zero unused low bit in the last character (RFC 4648 §3.5); the decoded bytes do not change.</summary>
    public static string NonCanonicalTail(string segment)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int rest = segment.Length % 4;
        if (rest is not (2 or 3))
        {
            throw new ArgumentException("segment has no unused bits: length " + segment.Length);
        }

        int value = alphabet.IndexOf(segment[^1], StringComparison.Ordinal);
        return segment[..^1] + alphabet[value | 1];
    }

    /// <summary>Makes tokens with <paramref name="make"/> until one satisfies <paramref name="wanted"/>.</summary>
    public static string TokenWhere(Func<string> make, Func<string, bool> wanted, int attempts = 100_000)
    {
        for (int i = 0; i < attempts; i++)
        {
            string token = make();
            if (wanted(token))
            {
                return token;
            }
        }

        throw new InvalidOperationException("no token with the wanted property in " + attempts + " attempts");
    }

    /// <summary>A JWK object to edit.</summary>
    public static JsonObject JwkOf(JwsKey key, bool includePrivate = false) =>
        JsonNode.Parse(includePrivate ? key.ExportPrivateJwk() : key.ExportJwk())!.AsObject();

    public static string JwkSet(params JsonNode[] keys) =>
        new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => k.DeepClone())]) }.ToJsonString();

    // ---- shorthands for cases ----------------------------------------------------------------

    public static TokenCase Refuse(string label, TokenValidator validator, string? token, ValidationError expected, Action? before = null) =>
        new(label, validator, token, expected, before);

    public static TokenCase Accept(string label, TokenValidator validator, string token, Action? before = null) =>
        new(label, validator, token, ValidationError.None, before);

    public static KeyLoadCase KeyError(string label, Action load) => new(label, load);

    public static KeyLoadCase KeyError(string label, Func<object> load) => new(label, () => load());

    public static PropertyCase Property(string label, Action check) => new(label, check);
}

/// <summary>An in-memory deny list: exact, ordinal jti match.</summary>
internal sealed class HashSetRevocations(params string[] revoked) : IRevocationList
{
    private readonly HashSet<string> _revoked = new(revoked, StringComparer.Ordinal);

    public bool IsRevoked(string jti) => _revoked.Contains(jti);
}
