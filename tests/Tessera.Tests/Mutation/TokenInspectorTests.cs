using Tessera.Tests.Support;
using Tessera.Validation;
using static Tessera.Tests.Support.Tokens;

namespace Tessera.Tests.Mutation;

/// <summary>
/// TokenInspector (what `tessera inspect` prints) had no unit test: every finding, in order, with
/// the boundaries of the time checks (exp = now is expired; nbf or iat = now is not; a lifetime of
/// exactly 3600 s is allowed).
/// </summary>
public sealed class TokenInspectorTests
{
    private const string Unchecked = "note: the signature was not checked; inspect never trusts a token";
    private static readonly FakeClock Clock = new(Now);

    [Fact]
    public void Inspect_ReportsEveryFinding_NotJustTheFirst()
    {
        string header = """{"alg":"none","typ":"JWT"}""";
        string payload = $$"""{"sub":5,"exp":{{Now - 10}},"nbf":{{Now + 5}},"iat":{{Now + 7}}}""";
        TokenInspection inspection = TokenInspector.Inspect(B64(header) + "." + B64(payload) + ".", Clock);
        Assert.Equal("malformed: a token has exactly three non-empty segments", Assert.Single(inspection.Findings));

        inspection = TokenInspector.Inspect(B64(header) + "." + B64(payload) + ".c2ln", Clock);
        Assert.Equal(header, inspection.Header);
        Assert.Equal(payload, inspection.Claims);
        Assert.Equal(
            [
                "invalid_algorithm: alg 'none' is not a supported algorithm ('none' is never accepted)",
                "invalid_type: typ is 'JWT'; validators require at+jwt by default",
                "note: no kid; only a single-key set can verify this token",
                "malformed: claim sub has the wrong JSON type or range",
                "missing_claim: iss",
                "missing_claim: sub",
                "missing_claim: aud",
                "missing_claim: jti",
                "expired: exp is 10 s in the past",
                "not_yet_valid: nbf is 5 s in the future",
                "not_yet_valid: iat is 7 s in the future",
                Unchecked,
            ],
            inspection.Findings);
    }

    [Fact]
    public void Inspect_ExpiresAtExp_AndAllowsALifetimeOfExactly3600Seconds()
    {
        string header = """{"alg":"ES256","typ":"application/at+jwt","kid":"k"}""";
        Assert.Equal(
            ["expired: exp is 0 s in the past", "lifetime_exceeded: exp - iat is 3601 s; the default maximum is 3600 s", Unchecked],
            Inspect(header, exp: Now, iat: Now - 3601, nbf: Now).Findings);
        Assert.Equal([Unchecked], Inspect("""{"alg":"EdDSA","typ":"AT+JWT","kid":"k"}""", exp: Now + 1, iat: Now + 1 - 3600, nbf: null).Findings);
        Assert.Equal([Unchecked], Inspect(header, exp: Now + 3600, iat: Now, nbf: Now).Findings);
    }

    [Fact]
    public void Inspect_AWrongTypedExp_IsReportedAsSuch_NotAlsoAsExpired()
    {
        string header = """{"alg":"ES256","typ":"at+jwt","kid":"k"}""";
        string payload = $$"""{"iss":"i","sub":"s","aud":"a","jti":"j","exp":"{{Now + 60}}","iat":{{Now}}}""";
        Assert.Equal(
            ["malformed: claim exp has the wrong JSON type or range", Unchecked],
            TokenInspector.Inspect(B64(header) + "." + B64(payload) + ".c2ln", Clock).Findings);
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("-1")]
    [InlineData("253402300800")]
    [InlineData("[1]")]
    public void Inspect_AWrongTypedIat_IsNotReadAsZero_InTheLifetimeCheck(string iat)
    {
        string header = """{"alg":"ES256","typ":"at+jwt","kid":"k"}""";
        string payload = $$"""{"iss":"i","sub":"s","aud":"a","jti":"j","exp":{{Now + 60}},"iat":{{iat}},"nbf":{{Now}}}""";
        Assert.Equal(
            ["malformed: claim iat has the wrong JSON type or range", Unchecked],
            TokenInspector.Inspect(B64(header) + "." + B64(payload) + ".c2ln", Clock).Findings);
    }

    [Fact]
    public void Inspect_AWrongTypedDateClaim_StillCountsAsPresent_NotAsMissing()
    {
        string header = """{"alg":"ES256","typ":"at+jwt","kid":"k"}""";
        string payload = """{"iss":"i","sub":"s","aud":"a","jti":"j","exp":null,"iat":{},"nbf":true}""";
        Assert.Equal(
            ["malformed: claim exp has the wrong JSON type or range", Unchecked],
            TokenInspector.Inspect(B64(header) + "." + B64(payload) + ".c2ln", Clock).Findings);
    }

    [Fact]
    public void Inspect_WithoutTyp_SaysSo()
    {
        Assert.Equal(
            ["invalid_type: no typ; validators require at+jwt by default", Unchecked],
            Inspect("""{"alg":"ES256","kid":"k"}""", exp: Now + 60, iat: Now, nbf: null).Findings);
    }

    [Fact]
    public void Inspect_RefusesBySize_AtTheLimitPlusOne()
    {
        Assert.Equal(["malformed: the token is 0 bytes; the limit is 8192"], TokenInspector.Inspect("", Clock).Findings);
        TokenInspection over = TokenInspector.Inspect(new string('a', 257), Clock, maxTokenSize: 256);
        Assert.Equal(["malformed: the token is 257 bytes; the limit is 256"], over.Findings);
        Assert.Null(over.Header);
        Assert.Null(over.Claims);
        Assert.Equal(["malformed: a token has exactly three non-empty segments"], TokenInspector.Inspect(new string('a', 256), Clock, maxTokenSize: 256).Findings);
    }

    [Theory]
    [InlineData("a.b.c.d.e", "malformed: five segments: this is a JWE, not a JWS")]
    [InlineData("a.b.c.d", "malformed: a token has exactly three non-empty segments")]
    [InlineData("a.b.c.d.e.f", "malformed: a token has exactly three non-empty segments")]
    [InlineData("a..c", "malformed: a token has exactly three non-empty segments")]
    [InlineData(".b.c", "malformed: a token has exactly three non-empty segments")]
    public void Inspect_NamesTheSegmentProblem(string token, string finding) =>
        Assert.Equal([finding], TokenInspector.Inspect(token, Clock).Findings);

    [Fact]
    public void Inspect_ReportsNonCanonicalSegments_AndStillReadsTheOthers()
    {
        TokenInspection inspection = TokenInspector.Inspect("Zh." + B64("{}") + ".c2ln", Clock);
        Assert.Null(inspection.Header);
        Assert.Equal("{}", inspection.Claims);
        Assert.Equal(
            [
                "malformed: a segment is not canonical base64url (padding, whitespace, wrong alphabet or trailing bits)",
                "missing_claim: iss", "missing_claim: sub", "missing_claim: aud", "missing_claim: exp", "missing_claim: iat", "missing_claim: jti",
                Unchecked,
            ],
            inspection.Findings);
        Assert.Equal(
            "malformed: a segment is not canonical base64url (padding, whitespace, wrong alphabet or trailing bits)",
            TokenInspector.Inspect(B64("{}") + "." + B64("{}") + ".Zh", Clock).Findings[0]);
    }

    [Fact]
    public void Inspect_ANonCanonicalPayload_LeavesClaimsNull_AndStillReadsTheHeader()
    {
        string header = """{"alg":"ES256","typ":"at+jwt","kid":"k"}""";
        TokenInspection inspection = TokenInspector.Inspect(B64(header) + ".e30=.c2ln", Clock);
        Assert.Equal(header, inspection.Header);
        Assert.Null(inspection.Claims);
        Assert.Equal(
            ["malformed: a segment is not canonical base64url (padding, whitespace, wrong alphabet or trailing bits)", Unchecked],
            inspection.Findings);
    }

    [Fact]
    public void Inspect_RefusesNullArguments_NamingThem()
    {
        string token = B64("""{"alg":"ES256"}""") + "." + B64("{}") + ".c2ln";
        Assert.Equal("token", Assert.Throws<ArgumentNullException>(() => TokenInspector.Inspect(null!, Clock)).ParamName);
        Assert.Equal("time", Assert.Throws<ArgumentNullException>(() => TokenInspector.Inspect(token, null!)).ParamName);
    }

    [Fact]
    public void Inspect_ReportsAHeaderOrPayloadThatIsNotStrictJson()
    {
        TokenInspection inspection = TokenInspector.Inspect(B64("""{"alg":"ES256","alg":"ES256"}""") + "." + B64("[]") + ".c2ln", Clock);
        Assert.Equal(
            [
                "malformed: the header is not a strict JOSE header (JSON object, no duplicates, alg present, no crit/b64/zip/enc)",
                "malformed: the payload is not a strict JSON object (a claims set)",
                Unchecked,
            ],
            inspection.Findings);
    }

    [Fact]
    public void UntrustedIssuer_ReadsIss_OnlyFromAThreeSegmentTokenWithinTheDefaultSize()
    {
        static string Token(string payload) => B64("{}") + "." + B64(payload) + ".";
        Assert.Equal("client-1", TokenInspector.UntrustedIssuer(Token("""{"iss":"client-1"}""")));
        string atLimit = Token("""{"iss":"client-1"}""");
        atLimit += new string('A', 8192 - atLimit.Length);
        Assert.Equal("client-1", TokenInspector.UntrustedIssuer(atLimit));
        Assert.Null(TokenInspector.UntrustedIssuer(atLimit + "A"));
        Assert.Null(TokenInspector.UntrustedIssuer(B64("{}") + "." + B64("""{"iss":"client-1"}""")));
        Assert.Null(TokenInspector.UntrustedIssuer(Token("""{"iss":5}""")));
        Assert.Null(TokenInspector.UntrustedIssuer(Token("""{"sub":"client-1"}""")));
        Assert.Null(TokenInspector.UntrustedIssuer(B64("{}") + "..sig"));
    }

    private static TokenInspection Inspect(string header, long exp, long iat, long? nbf)
    {
        string payload = $$"""{"iss":"i","sub":"s","aud":"a","jti":"j","exp":{{exp}},"iat":{{iat}}{{(nbf is null ? "" : $",\"nbf\":{nbf}")}}}""";
        return TokenInspector.Inspect(B64(header) + "." + B64(payload) + ".c2ln", Clock);
    }
}
