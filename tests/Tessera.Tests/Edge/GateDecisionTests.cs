// The answer table of `tessera gate` (docs/SPEC.md §9), one row per outcome, over Tessera's real
// validator: 200 with X-Tessera-* headers, 401 with the RFC 6750 challenge, 403 for scope, 503
// when the validator cannot decide. And claim text can never split or forge a response header.
using Microsoft.AspNetCore.Http;
using Tessera.Keys;
using Tessera.Server.Gate;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Edge;

public sealed class GateDecisionTests : IDisposable
{
    private readonly FakeClock _clock = new(Tokens.Now);
    private readonly TokenValidator _validator;
    private readonly GateMetrics _metrics = new();
    private readonly List<string> _refusals = [];

    public GateDecisionTests() =>
        _validator = new TokenValidator(new ValidationOptions { Issuer = Tokens.Issuer, Audiences = [Tokens.Audience], Algorithms = [Tessera.Algorithms.JwsAlgorithm.EdDSA] }, new KeySet([TestKeys.For("EdDSA")]), _clock);

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task ValidToken_200_WithSubjectClientScopeAndJti()
    {
        string token = Tokens.Valid(TestKeys.For("EdDSA"), "\"client_id\":\"meter-7\",\"scope\":\"read write\"");

        HttpResponse response = await AnswerAsync(Gate(), token);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("device-1", response.Headers[GateDecision.Subject]);
        Assert.Equal("meter-7", response.Headers[GateDecision.ClientId]);
        Assert.Equal("read write", response.Headers[GateDecision.Scope]);
        Assert.StartsWith("id-", response.Headers[GateDecision.Jti].ToString(), StringComparison.Ordinal);
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task RefusedToken_401_WithTheCanonicalChallenge_AndNoTesseraHeaders()
    {
        string token = Tokens.Valid(TestKeys.For("EdDSA"));
        string expired = Tokens.Sign(TestKeys.For("EdDSA"), Tokens.Header(TestKeys.For("EdDSA")), Tokens.Claims(now: Tokens.Now - 3600));

        HttpResponse response = await AnswerAsync(Gate(), expired);

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Token expired\"", response.Headers.WWWAuthenticate);
        Assert.False(response.Headers.ContainsKey(GateDecision.Subject));
        Assert.Equal(["expired"], _refusals);
        Assert.Equal(200, (await AnswerAsync(Gate(), token)).StatusCode);
    }

    [Fact]
    public async Task NoToken_401_BareBearer()
    {
        HttpResponse response = await AnswerAsync(Gate(), null);

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WWWAuthenticate);
    }

    [Fact]
    public async Task MissingRequiredScope_403_InsufficientScope()
    {
        string token = Tokens.Valid(TestKeys.For("EdDSA"), "\"scope\":\"read\"");

        HttpResponse response = await AnswerAsync(Gate(requiredScopes: ["read", "telemetry:write"]), token);

        Assert.Equal(403, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"Insufficient scope\", scope=\"read telemetry:write\"", response.Headers.WWWAuthenticate);
        Assert.False(response.Headers.ContainsKey(GateDecision.Subject));
        Assert.Equal(200, (await AnswerAsync(Gate(requiredScopes: ["read"]), token)).StatusCode);
    }

    [Fact]
    public async Task CannotDecide_503_WithRetryAfter_NeverA401()
    {
        var gate = new GateDecision((_, _) => ValueTask.FromResult<ValidationResult?>(null), [], _metrics, (_, code) => _refusals.Add(code));

        HttpResponse response = await AnswerAsync(gate, Tokens.Valid(TestKeys.For("EdDSA")));

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter);
        Assert.False(response.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public async Task StaleDenyList_UnderRefuse_503_NeverA401_UnderAccept_200_AndEveryAcceptanceReported()
    {
        var stale = new StaleList();
        string token = Tokens.Valid(TestKeys.For("EdDSA"));
        var refuse = new TokenValidator(Options(acceptStale: false), new KeySet([TestKeys.For("EdDSA")]), _clock, stale);
        var accept = new TokenValidator(Options(acceptStale: true), new KeySet([TestKeys.For("EdDSA")]), _clock, stale);
        var accepted = new List<string?>();

        HttpResponse refused = await AnswerAsync(new GateDecision((t, _) => ValueTask.FromResult<ValidationResult?>(refuse.Validate(t)), [], _metrics, (_, c) => _refusals.Add(c)), token);
        HttpResponse passed = await AnswerAsync(new GateDecision((t, _) => ValueTask.FromResult<ValidationResult?>(accept.Validate(t)), [], _metrics, (_, c) => _refusals.Add(c), (_, claims) => accepted.Add(claims.JwtId)), token);

        Assert.Equal(503, refused.StatusCode);
        Assert.False(refused.Headers.ContainsKey("WWW-Authenticate"));
        Assert.Equal(200, passed.StatusCode);
        Assert.Single(accepted);
        Assert.Empty(_refusals);

        // A deny list that answers, with the token on it: 401 revoked, as always.
        stale.Status = Tessera.Revocation.RevocationStatus.Revoked;
        HttpResponse revoked = await AnswerAsync(new GateDecision((t, _) => ValueTask.FromResult<ValidationResult?>(refuse.Validate(t)), [], _metrics, (_, c) => _refusals.Add(c)), token);
        Assert.Equal(401, revoked.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"Token revoked\"", revoked.Headers.WWWAuthenticate);
    }

    [Theory]
    [InlineData("device-1", "device-1")]
    [InlineData("a b", "a b")]
    [InlineData("evil\r\nX-Tessera-Subject: admin", "evil%0D%0AX-Tessera-Subject: admin")]
    [InlineData("100%", "100%25")]
    [InlineData("zähler", "z%C3%A4hler")]
    [InlineData("tab\there", "tab%09here")]
    public void HeaderValues_ArePrintableAscii_EverythingElsePercentEncoded(string claim, string header) =>
        Assert.Equal(header, GateDecision.HeaderSafe(claim));

    [Fact]
    public async Task ASubjectWithCrLf_CannotAddAHeader()
    {
        string token = Tokens.Sign(TestKeys.For("EdDSA"), Tokens.Header(TestKeys.For("EdDSA")),
            Tokens.Claims().Replace("\"sub\":\"device-1\"", "\"sub\":\"x\\r\\nX-Tessera-Scope: admin\"", StringComparison.Ordinal));

        HttpResponse response = await AnswerAsync(Gate(), token);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("x%0D%0AX-Tessera-Scope: admin", response.Headers[GateDecision.Subject]);
        Assert.False(response.Headers.ContainsKey(GateDecision.Scope));
    }

    private static ValidationOptions Options(bool acceptStale) => new()
    {
        Issuer = Tokens.Issuer,
        Audiences = [Tokens.Audience],
        Algorithms = [Tessera.Algorithms.JwsAlgorithm.EdDSA],
        AcceptStaleRevocations = acceptStale,
    };

    private sealed class StaleList : Tessera.Revocation.IRevocationList
    {
        public Tessera.Revocation.RevocationStatus Status { get; set; } = Tessera.Revocation.RevocationStatus.Stale;

        public bool IsRevoked(string jti) => Status == Tessera.Revocation.RevocationStatus.Revoked;

        public Tessera.Revocation.RevocationStatus Check(string? jti, string? subject, string? clientId, long? issuedAt) => Status;
    }

    private GateDecision Gate(IReadOnlyList<string>? requiredScopes = null) =>
        new((token, _) => ValueTask.FromResult<ValidationResult?>(_validator.Validate(token)), requiredScopes ?? [], _metrics, (_, code) => _refusals.Add(code));

    private static async Task<HttpResponse> AnswerAsync(GateDecision gate, string? token)
    {
        var http = new DefaultHttpContext();
        if (token is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + token;
        }

        await gate.AnswerAsync(http);
        return http.Response;
    }
}
