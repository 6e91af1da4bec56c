// One EdgeValidator (and one JwksClient) per scheme, built on first use: discovery needs the
// network, so it happens on the first request, not at start-up, and a failed discovery is
// retried by a later request instead of being remembered; not sooner than RetryAfter, so an
// issuer outage does not turn every request into a discovery fetch queued behind the last one.
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Tessera.Algorithms;
using Tessera.Jwks;
using Tessera.Validation;

namespace Tessera.AspNetCore;

internal sealed class EdgeValidators(TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, EdgeValidator> _built = new(StringComparer.Ordinal);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _building = new(1, 1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failedAt = new(StringComparer.Ordinal);

    public async ValueTask<EdgeValidator?> GetAsync(string scheme, TesseraBearerOptions options, CancellationToken cancel)
    {
        if (_built.TryGetValue(scheme, out EdgeValidator? ready))
        {
            return ready;
        }

        if (_failedAt.TryGetValue(scheme, out DateTimeOffset failed) && time.GetUtcNow() - failed < RetryAfter)
        {
            return null;
        }

        await _building.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (_built.TryGetValue(scheme, out ready))
            {
                return ready;
            }

            X509Certificate2? ca = options.BackchannelCa ?? (options.BackchannelCaFile is { } file ? X509CertificateLoader.LoadCertificateFromFile(file) : null);
            Uri jwksUri = options.JwksUri is { } direct
                ? new Uri(direct)
                : await Discovery.FindJwksUriAsync(new Uri(options.Authority!), ca, cancel).ConfigureAwait(false);
            var jwksOptions = new JwksClientOptions { JwksUri = jwksUri, TrustedRoot = ca };
            var jwks = new JwksClient(options.ConfigureJwks?.Invoke(jwksOptions) ?? jwksOptions, time);
            var validator = new EdgeValidator(Policy(options), jwks, time, options.Revocations);
            _built[scheme] = validator;
            return validator;
        }
        catch (JwksException)
        {
            _failedAt[scheme] = time.GetUtcNow();
            return null;
        }
        finally
        {
            _building.Release();
        }
    }

    public void Dispose()
    {
        foreach (EdgeValidator validator in _built.Values)
        {
            validator.Jwks.Dispose();
        }

        _building.Dispose();
    }

    private static ValidationOptions Policy(TesseraBearerOptions o)
    {
        string[] audiences = [.. o.Audiences.Concat(o.Audience is { } a ? [a] : []).Distinct(StringComparer.Ordinal)];
        JwsAlgorithm[] algorithms = o.Algorithms.Count == 0
            ? [JwsAlgorithm.EdDSA]
            : [.. o.Algorithms.Select(name => JwsAlgorithm.TryParse(name, out JwsAlgorithm alg) ? alg : throw new InvalidOperationException($"TesseraBearer: unknown algorithm {name}"))];
        return new ValidationOptions
        {
            Issuer = o.Issuer ?? o.Authority!,
            Audiences = audiences,
            Algorithms = algorithms,
            Type = o.TokenType,
            ClockSkew = o.ClockSkew,
            MaxLifetime = o.MaxTokenLifetime,
            AcceptStaleRevocations = o.AcceptStaleRevocations,
        };
    }
}
