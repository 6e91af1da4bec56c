// private_key_jwt client authentication (RFC 7523 §2.2 and §3, OIDC Core §9): the client signs a
// short JWT with a key registered for it, and the authorization server checks it with the same
// strict pipeline as access tokens (docs/SPEC.md §2), plus what RFC 7523 §3 adds:
//   - iss = sub = the client_id; the body's client_id, when sent, must agree;
//   - aud is the token endpoint or the issuer itself;
//   - exp at most 5 minutes ahead (a long-lived assertion is a stolen credential waiting);
//   - jti used once (§3 item 7): remembered in a durable store until the assertion expires.
// The client is picked by the assertion's unverified iss only to choose which keys to try; the
// pipeline then checks iss against that same client, so a wrong pick can only fail.
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;

namespace Tessera.Validation;

/// <summary>Authenticates clients by their signed assertions (<c>private_key_jwt</c>).</summary>
/// <example><code>
/// var assertions = new ClientAssertionValidator("https://auth.example", clientKeys, store);
/// ClientAssertionResult r = assertions.Validate(form["client_assertion"], form["client_id"]);
/// if (!r.IsValid) return InvalidClient(); // r.Failure goes to the security log only
/// </code></example>
public sealed class ClientAssertionValidator
{
    /// <summary>The <c>client_assertion_type</c> of RFC 7523 §2.2.</summary>
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>How far ahead an assertion's <c>exp</c> may be.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    // A used jti stays remembered this long past the assertion's exp (its validator's skew).
    private static readonly TimeSpan ReplayMargin = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, TokenValidator> _validators = new(StringComparer.Ordinal);

    // Checked against assertions of unknown clients, so that naming a client that exists and
    // one that does not cost about the same (a known client's assertion costs a signature check).
    private readonly JwsKey _decoy = JwsKey.Generate(JwsAlgorithm.ES256);
    private int _decoyChecks;
    private readonly IRevocationStore _used;
    private readonly TimeProvider _time;

    /// <summary>
    /// Builds the validator for the clients in <paramref name="clientKeys"/> (client_id to its
    /// public keys), accepting assertions addressed to <paramref name="issuer"/> or its
    /// <c>/token</c> endpoint. Used <c>jti</c>s are recorded in <paramref name="usedAssertions"/>.
    /// Throws <see cref="ArgumentException"/> when a client's keys include an HMAC key: a
    /// client's key for assertions must be asymmetric, or whoever can read it can sign as the client.
    /// </summary>
    public ClientAssertionValidator(string issuer, IReadOnlyDictionary<string, KeySet> clientKeys, IRevocationStore usedAssertions, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentNullException.ThrowIfNull(clientKeys);
        ArgumentNullException.ThrowIfNull(usedAssertions);
        _used = usedAssertions;
        _time = time ?? TimeProvider.System;
        string[] audiences = [issuer.TrimEnd('/') + "/token", issuer];
        foreach ((string clientId, KeySet keys) in clientKeys)
        {
            if (keys.Algorithms.Any(a => a.IsSymmetric))
            {
                throw new ArgumentException($"Client {clientId} has an HMAC key: private_key_jwt keys must be asymmetric", nameof(clientKeys));
            }

            _validators[clientId] = new TokenValidator(
                new ValidationOptions
                {
                    Issuer = clientId,
                    Audiences = audiences,
                    Algorithms = keys.Algorithms,
                    Type = JwtTypes.Jwt,
                    TypeMayBeAbsent = true,
                    MaxLifetime = MaxLifetime,
                    RequiredClaims = RegisteredClaims.Issuer | RegisteredClaims.Subject | RegisteredClaims.Audience
                        | RegisteredClaims.Expiration | RegisteredClaims.JwtId,
                    CacheSize = 0,
                },
                keys,
                _time);
        }
    }

    /// <summary>How many assertions were checked against the decoy key (for tests).</summary>
    internal int DecoyChecks => Volatile.Read(ref _decoyChecks);

    /// <summary>
    /// Checks one assertion; <paramref name="clientId"/> is the request's <c>client_id</c>
    /// parameter when it sent one. Never throws for bad input; a replayed assertion is refused.
    /// </summary>
    public ClientAssertionResult Validate(string assertion, string? clientId = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        string? iss = TokenInspector.UntrustedIssuer(assertion);
        if (iss is null || (clientId is not null && clientId != iss) || !_validators.TryGetValue(iss, out TokenValidator? validator))
        {
            Decoy(assertion);
            return new(clientId ?? iss, "unknown client or no keys registered");
        }

        ValidationResult result = validator.Validate(assertion);
        if (!result.IsValid)
        {
            return new(iss, "assertion refused: " + result.Code);
        }

        TokenClaims claims = result.Claims!;
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (claims.Subject != iss || claims.ExpiresAt is not long exp || exp > now + (long)MaxLifetime.TotalSeconds)
        {
            return new(iss, "assertion sub differs from iss, or exp is more than 5 minutes ahead");
        }

        // One-time use, across restarts and across every issuer sharing the store.
        return _used.Revoke($"client-assertion:{iss}:{claims.JwtId}", DateTimeOffset.FromUnixTimeSeconds(exp) + ReplayMargin)
            ? new(iss, null)
            : new(iss, "assertion replayed (jti already used)");
    }

    private void Decoy(string assertion)
    {
        Interlocked.Increment(ref _decoyChecks);
        int dot = assertion.LastIndexOf('.');
        if (dot <= 0 || assertion.Length > TokenSize.Default)
        {
            return;
        }

        byte[] input = System.Text.Encoding.ASCII.GetBytes(assertion[..dot]);
        Span<byte> signature = stackalloc byte[_decoy.SignatureSize];
        signature.Clear();
        _ = _decoy.Verify(input, signature);
    }
}
