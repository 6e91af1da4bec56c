// What every endpoint of docs/SPEC.md §6 shares: the configuration, the key ring, the revocation
// store, the security log and metrics, the network policy, the registered clients, and one
// validator that follows the key ring.
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Server.Clients;
using Tessera.Server.Configuration;
using Tessera.Validation;

namespace Tessera.Server.Endpoints;

internal sealed class ServiceState
{
    private readonly TokenValidator _validator;
    private KeySet _validatorKeys;

    public ServiceState(TesseraConfig config, KeyRing ring, IRevocationStore store, SecurityLog log, ServerMetrics metrics, TimeProvider time, IEnumerable<Client> clients)
    {
        Config = config;
        Ring = ring;
        Store = store;
        Log = log;
        Metrics = metrics;
        Time = time;
        Network = new NetworkPolicy(config.AllowedCidrs, config.TrustedProxies);
        Clients = new ClientAuthenticator(clients, config.Issuer, store, time);
        Limits = new RateLimits(config.RatePerClient, config.RatePerAddress);
        Refusals = new RefusalLog(log, time);
        _validatorKeys = ring.Published;
        _validator = new TokenValidator(
            config.ValidationPolicy(config.Audiences),
            _validatorKeys,
            time,
            store);
    }

    public TesseraConfig Config { get; }

    public KeyRing Ring { get; }

    public IRevocationStore Store { get; }

    public SecurityLog Log { get; }

    public ServerMetrics Metrics { get; }

    public TimeProvider Time { get; }

    public NetworkPolicy Network { get; }

    public ClientAuthenticator Clients { get; }

    /// <summary>The rate limits, per address shared by every form-posting endpoint.</summary>
    public RateLimits Limits { get; }

    public RefusalLog Refusals { get; }

    /// <summary>The issuer URL without a trailing slash, for endpoint addresses.</summary>
    public string IssuerUrl => Config.Issuer.TrimEnd('/');

    /// <summary>
    /// Validates with <see cref="Validator"/>, and records what revocation staleness did: a
    /// refusal because the list was stale is counted, an acceptance despite it (on_stale: accept)
    /// is a security-log event (docs/SPEC.md §7).
    /// </summary>
    public ValidationResult Validate(string? token, string endpoint, string? clientId, string address)
    {
        ValidationResult result = Validator().Validate(token);
        if (result.RevocationStale)
        {
            Metrics.StaleAccepted.Add(1);
            Log.Write("stale_revocation_accepted", ("endpoint", endpoint), ("client_id", clientId), ("jti", result.Claims?.JwtId), ("address", address));
        }
        else if (result.Error == ValidationError.Revoked && result.Detail == StaleDetail)
        {
            Metrics.StaleRefused.Add(1);
        }

        return result;
    }

    private const string StaleDetail = ValidationResult.StaleRevocationDetail;

    // The validator follows the key ring (TokenValidator.UpdateKeys also forgets remembered
    // tokens of keys that left): tokens of a retired key are refused and a new key's accepted
    // without a restart. KeyRing.Published is one instance until the set changes.
    public TokenValidator Validator()
    {
        KeySet published = Ring.Published;
        if (!ReferenceEquals(published, Volatile.Read(ref _validatorKeys)))
        {
            Volatile.Write(ref _validatorKeys, published);
            _validator.UpdateKeys(published);
        }

        return _validator;
    }
}
