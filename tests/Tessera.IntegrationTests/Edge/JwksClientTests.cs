// docs/SPEC.md §9, the JWKS client, against a real Kestrel over TLS. Each test names the peer
// failure it guards against: a first request after an unplanned rotation that fails (JwtBearer
// only schedules a refresh), a refetch per unknown kid (a forged-kid flood becomes a flood on the
// issuer), and failing once the cache is past max-age while the issuer is down.
using System.Diagnostics.Metrics;
using Tessera.Algorithms;
using Tessera.Jwks;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.IntegrationTests.Edge;

public sealed class JwksClientTests : IAsyncLifetime
{
    private static readonly JwsKey KeyA = JwsKey.Generate(JwsAlgorithm.EdDSA);
    private static readonly JwsKey KeyB = JwsKey.Generate(JwsAlgorithm.EdDSA);

    private readonly FakeClock _clock = new(Tokens.Now);
    private IssuerDouble _issuer = null!;

    public async Task InitializeAsync()
    {
        _issuer = await IssuerDouble.StartAsync();
        _issuer.Publish(KeyA);
    }

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task EmergencyRotation_TheFirstTokenOfANeverPublishedKey_IsAccepted()
    {
        using JwksClient jwks = Client();
        EdgeValidator validator = Validator(jwks);
        Assert.True((await validator.ValidateAsync(Token(KeyA)))!.Value.IsValid);

        // The issuer replaces A by B at once (tessera rotate --retire); B was never pre-published.
        _issuer.Publish(KeyB);
        ValidationResult first = (await validator.ValidateAsync(Token(KeyB)))!.Value;

        Assert.True(first.IsValid, "the first request with the new key failed: " + first);
        Assert.Equal(2, _issuer.JwksRequests);
        // And A's tokens stop verifying: the key left the set.
        Assert.Equal(ValidationError.UnknownKey, (await validator.ValidateAsync(Token(KeyA)))!.Value.Error);
    }

    [Fact]
    public async Task ForgedKidFlood_TenThousandUnknownKids_CostAtMostOneRefetch_AndAllAnswerUnknownKey()
    {
        using JwksClient jwks = Client();
        EdgeValidator validator = Validator(jwks);
        Assert.True((await validator.ValidateAsync(Token(KeyA)))!.Value.IsValid);
        int before = _issuer.JwksRequests;

        // 10,000 tokens signed by a key the issuer never published, each naming a random kid,
        // 16 at a time, all within the same 30 s (the fake clock does not move).
        JwsKey stranger = JwsKey.Generate(JwsAlgorithm.EdDSA);
        string[] forged = [.. Enumerable.Range(0, 10_000).Select(_ => Tokens.Sign(stranger,
            $"{{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"{Guid.NewGuid():N}\"}}", Tokens.Claims(now: _clock.Now)))];
        var codes = new System.Collections.Concurrent.ConcurrentBag<ValidationError?>();
        await Parallel.ForEachAsync(forged, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (token, cancel) =>
            codes.Add((await validator.ValidateAsync(token, cancel))?.Error));

        Assert.Equal(10_000, codes.Count);
        Assert.All(codes, code => Assert.Equal(ValidationError.UnknownKey, code));
        Assert.InRange(_issuer.JwksRequests - before, 1, 1);

        // 30 s later one more unknown kid may refetch again (once).
        _clock.Now += 31;
        Assert.Equal(ValidationError.UnknownKey, (await validator.ValidateAsync(forged[0]))!.Value.Error);
        Assert.Equal(before + 2, _issuer.JwksRequests);
    }

    [Fact]
    public async Task IssuerDownForTwoHours_KnownKeysStillVerify_AndHealthAndMetricSayStale()
    {
        using var stale = new GaugeReader(JwksClient.MeterName, "tessera.jwks.stale", _issuer.JwksUri);
        using JwksClient jwks = Client();
        EdgeValidator validator = Validator(jwks);
        Assert.True((await validator.ValidateAsync(Token(KeyA)))!.Value.IsValid);
        Assert.Equal(JwksHealth.Fresh, jwks.Health);
        Assert.Equal(0, stale.Read());

        _issuer.Down = true;
        _clock.Now += 2 * 3600;
        await jwks.RefreshAsync(); // what the next lookup past max-age starts in the background

        ValidationResult after = (await validator.ValidateAsync(Token(KeyA)))!.Value;
        Assert.True(after.IsValid, "a known key stopped verifying while the issuer was down: " + after);
        Assert.Equal(JwksHealth.Stale, jwks.Health);
        Assert.Equal(1, stale.Read());
        Assert.Contains("HTTP 503", jwks.LastError, StringComparison.Ordinal);

        // Back up: fresh again, without a restart.
        _issuer.Down = false;
        _clock.Now += 10;
        await jwks.RefreshAsync();
        Assert.Equal(JwksHealth.Fresh, jwks.Health);
        Assert.Equal(0, stale.Read());
    }

    [Fact]
    public async Task IssuerDownPastTheStaleLimit_ValidatorCannotDecide_NeverAcceptsOrRefuses()
    {
        using JwksClient jwks = Client(o => o with { StaleLimit = TimeSpan.FromHours(6) });
        EdgeValidator validator = Validator(jwks);
        Assert.True((await validator.ValidateAsync(Token(KeyA)))!.Value.IsValid);

        _issuer.Down = true;
        _clock.Now += 6 * 3600 + 1;

        Assert.Null(await validator.ValidateAsync(Token(KeyA)));
        Assert.Equal(JwksHealth.Unavailable, jwks.Health);
    }

    [Fact]
    public async Task PastMaxAge_TheClientRevalidatesWithETag_AndA304KeepsTheKeys()
    {
        _issuer.MaxAge = 60;
        using JwksClient jwks = Client();
        EdgeValidator validator = Validator(jwks);
        Assert.True((await validator.ValidateAsync(Token(KeyA)))!.Value.IsValid);

        _clock.Now += 30; // within max-age: no request
        Assert.True((await validator.ValidateAsync(Token(KeyA)))!.Value.IsValid);
        Assert.Equal(1, _issuer.JwksRequests);

        _clock.Now += 31; // past max-age: one conditional request, answered 304
        await jwks.RefreshAsync();
        Assert.Equal(2, _issuer.JwksRequests);
        Assert.Equal(1, _issuer.NotModified);
        Assert.Equal(JwksHealth.Fresh, jwks.Health);
        Assert.True((await validator.ValidateAsync(Token(KeyA)))!.Value.IsValid);
    }

    [Fact]
    public async Task APublishedHmacSecret_IsRefused_AndTheLastGoodSetKeepsServing()
    {
        using JwksClient jwks = Client();
        EdgeValidator validator = Validator(jwks);
        Assert.True((await validator.ValidateAsync(Token(KeyA)))!.Value.IsValid);

        // An attacker who can change the JWKS publishes a "key" that is a secret they know.
        _issuer.PublishRaw("""{"keys":[{"kty":"oct","kid":"k1","alg":"HS256","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}]}""");
        await jwks.RefreshAsync();

        Assert.Equal(JwksHealth.Stale, jwks.Health);
        Assert.Contains("HMAC", jwks.LastError, StringComparison.Ordinal);
        Assert.Contains(jwks.Keys!.Keys, k => k.KeyId == KeyA.KeyId);
    }

    [Fact]
    public void AnHttpJwksUrl_IsRefusedAtConstruction()
    {
        var ex = Assert.Throws<JwksException>(() => new JwksClient(new JwksClientOptions { JwksUri = new Uri("http://127.0.0.1:1/jwks.json") }));
        Assert.Contains("only https", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_FindsTheJwksUri_AndRefusesMetadataOfAnotherIssuer()
    {
        Uri found = await Discovery.FindJwksUriAsync(new Uri(_issuer.Origin), _issuer.Certificate);
        Assert.Equal(_issuer.JwksUri, found);

        // Metadata that names another issuer (RFC 8414 §3.3) is not believed.
        _issuer.MetadataIssuer = "https://other-issuer.test";
        var ex = await Assert.ThrowsAsync<JwksException>(() => Discovery.FindJwksUriAsync(new Uri(_issuer.Origin), _issuer.Certificate));
        Assert.Contains("issuer", ex.Message, StringComparison.Ordinal);
    }

    private JwksClient Client(Func<JwksClientOptions, JwksClientOptions>? tune = null)
    {
        var options = new JwksClientOptions { JwksUri = _issuer.JwksUri, TrustedRoot = _issuer.Certificate };
        return new JwksClient(tune?.Invoke(options) ?? options, _clock);
    }

    private EdgeValidator Validator(JwksClient jwks) =>
        new(new ValidationOptions { Issuer = Tokens.Issuer, Audiences = [Tokens.Audience], Algorithms = [JwsAlgorithm.EdDSA] }, jwks, _clock);

    private string Token(JwsKey key) => Tokens.Sign(key, Tokens.Header(key), Tokens.Claims(now: _clock.Now));

    /// <summary>Reads one observable gauge of a meter, as an exporter would.</summary>
    private sealed class GaugeReader : IDisposable
    {
        private readonly MeterListener _listener = new();
        private double _value = double.NaN;

        public GaugeReader(string meter, string instrument, Uri jwksUri)
        {
            string tag = jwksUri.ToString();
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == meter && i.Name == instrument && i.Meter.Tags?.Any(t => t.Key == "jwks_uri" && (string?)t.Value == tag) == true)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, v, _, _) => _value = v);
            _listener.SetMeasurementEventCallback<double>((_, v, _, _) => _value = v);
            _listener.Start();
        }

        public double Read()
        {
            _value = double.NaN;
            _listener.RecordObservableInstruments();
            return _value;
        }

        public void Dispose() => _listener.Dispose();
    }
}
