// RFC 9068 §2 (JWT access tokens) over RFC 7515 §7.1 (compact serialization). The header is
// exactly {"alg","typ","kid"} (SPEC.md §1); "jti" carries 128 random bits (RFC 7519 §4.1.7).
using System.Buffers;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Jose;

namespace Tessera.Issuance;

/// <summary>Signs access tokens.</summary>
/// <example><code>
/// var issuer = new TokenIssuer(new IssuanceOptions { Issuer = "https://auth.example" });
/// string token = issuer.Issue(key, new TokenRequest { Subject = "meter-17", Audiences = ["telemetry"] }).Token;
/// </code></example>
public sealed class TokenIssuer
{
    private static readonly HashSet<string> Registered =
        ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope"];

    private static readonly Dictionary<string, JsonElement> EmptyClaims = [];

    private readonly IssuanceOptions _options;
    private readonly TimeProvider _time;
    private CachedHeader? _header;

    /// <summary>Builds an issuer; throws <see cref="ArgumentException"/> listing every option problem.</summary>
    public TokenIssuer(IssuanceOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid issuance options: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The policy.</summary>
    public IssuanceOptions Options => _options;

    /// <summary>
    /// Signs a token with <paramref name="key"/>, returning it with its <c>jti</c> and expiry.
    /// Throws <see cref="TokenTooLargeException"/> rather than emit a token over the size limit.
    /// </summary>
    public IssuedToken Issue(JwsKey key, TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Issue(key, null, request);
    }

    /// <summary>
    /// Signs a token with <paramref name="signer"/> (a key held outside the process, such as in an
    /// HSM), as <see cref="Issue(JwsKey, TokenRequest)"/> does with a key in memory.
    /// </summary>
    public IssuedToken Issue(IJwsSigner signer, TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(signer.Algorithm);
        if (signer.MaxSignatureSize <= 0)
        {
            throw new ArgumentException("The signer reports no signature size", nameof(signer));
        }

        return Issue(null, signer, request);
    }

    // One path for both: exactly one of key and signer is set.
    private IssuedToken Issue(JwsKey? key, IJwsSigner? signer, TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        TimeSpan lifetime = request.Lifetime ?? _options.Lifetime;
        if (lifetime < IssuanceOptions.MinLifetime || lifetime > IssuanceOptions.MaxLifetime)
        {
            throw new ArgumentException("Token lifetime must be between 1 and 60 minutes", nameof(request));
        }

        if (string.IsNullOrEmpty(request.Subject) || request.Audiences is not { Count: > 0 } || request.Audiences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A token needs a subject and at least one audience", nameof(request));
        }

        object source = (object?)key ?? signer!;
        string header = key is not null
            ? HeaderFor(source, key.Algorithm, key.KeyId)
            : HeaderFor(source, signer!.Algorithm, signer.KeyId);
        int signatureSize = key?.SignatureSize ?? signer!.MaxSignatureSize;
        byte[] payload = Payload(request, lifetime, out string jti, out long exp);
        int payloadLength = Base64Url.EncodedLength(payload.Length);
        int total = header.Length + 1 + payloadLength + 1 + Base64Url.EncodedLength(signatureSize);
        if (total > _options.MaxTokenSize)
        {
            throw new TokenTooLargeException($"The token would be {total} bytes; the limit is {_options.MaxTokenSize} bytes");
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(total + signatureSize);
        try
        {
            Span<byte> text = buffer;
            int at = System.Text.Encoding.ASCII.GetBytes(header, text);
            text[at++] = (byte)'.';
            at += Base64Url.Encode(payload, text[at..]);
            Span<byte> signature = buffer.AsSpan(total, signatureSize);
            int signed = key is not null ? key.Sign(text[..at], signature) : signer!.Sign(text[..at], signature);
            if ((uint)signed > (uint)signatureSize)
            {
                throw new InvalidOperationException($"The signer wrote {signed} bytes; its maximum is {signatureSize}");
            }

            text[at++] = (byte)'.';
            at += Base64Url.Encode(signature[..signed], text[at..]);
            return new IssuedToken(System.Text.Encoding.ASCII.GetString(text[..at]), jti, DateTimeOffset.FromUnixTimeSeconds(exp));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string HeaderFor(object source, JwsAlgorithm algorithm, string keyId)
    {
        if (_header is { } cached && ReferenceEquals(cached.Source, source))
        {
            return cached.Header;
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", algorithm.Name);
            writer.WriteString("typ", _options.Type);
            writer.WriteString("kid", keyId);
            writer.WriteEndObject();
        }

        string header = Base64Url.Encode(buffer.WrittenSpan);
        _header = new CachedHeader(source, header);
        return header;
    }

    private byte[] Payload(TokenRequest request, TimeSpan lifetime, out string jti, out long exp)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        Span<byte> id = stackalloc byte[16];
        JtiSource.Fill(id);

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", _options.Issuer);
            writer.WriteString("sub", request.Subject);
            if (request.Audiences.Count == 1)
            {
                writer.WriteString("aud", request.Audiences[0]);
            }
            else
            {
                writer.WriteStartArray("aud");
                foreach (string aud in request.Audiences)
                {
                    writer.WriteStringValue(aud);
                }

                writer.WriteEndArray();
            }

            exp = now + (long)lifetime.TotalSeconds;
            writer.WriteNumber("exp", exp);
            writer.WriteNumber("nbf", now);
            writer.WriteNumber("iat", now);
            jti = Base64Url.Encode(id);
            writer.WriteString("jti", jti);
            writer.WriteString("client_id", request.ClientId ?? request.Subject);
            if (!string.IsNullOrEmpty(request.Scope))
            {
                writer.WriteString("scope", request.Scope);
            }

            foreach ((string name, JsonElement value) in request.Claims ?? EmptyClaims)
            {
                if (Registered.Contains(name))
                {
                    throw new ArgumentException($"Claim '{name}' is set by the issuer and cannot be overridden", nameof(request));
                }

                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record CachedHeader(object Source, string Header);
}
