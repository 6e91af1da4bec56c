using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Validation;
using static Tessera.Tests.Attacks.Kit;

namespace Tessera.Tests.Mutation;

/// <summary>
/// ValidationOptions at each bound (the bounds themselves are allowed) with its messages, the
/// result's valid code and ToString, and ClientAssertionValidator's argument checks and the
/// client named in a refusal.
/// </summary>
public sealed class OptionsAndResultEdgeTests
{
    private static readonly ValidationOptions Good = new() { Issuer = "i", Audiences = ["a"], Algorithms = [JwsAlgorithm.ES256] };

    public static TheoryData<string, string?> Cases => new()
    {
        { "lifetime 1 day", null },
        { "lifetime 0", "MaxLifetime must be between 1 second and 1 day" },
        { "token size 256", null },
        { "token size 255", "MaxTokenSize must be between 256 bytes and 64 KiB" },
        { "token size 64 KiB", null },
        { "cache 1,000,000", null },
        { "cache -1", "CacheSize must be between 0 and 1,000,000" },
        { "no algorithms", "Algorithms (the allow-list) needs at least one algorithm" },
        { "a null algorithm", "Algorithms (the allow-list) needs at least one algorithm" },
        { "an empty audience", "Audiences needs at least one non-empty audience" },
        { "blank type", "Type is required (the typ every token must carry, e.g. at+jwt)" },
        { "iss not required", "RequiredClaims must include iss, aud and exp" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Options_AtTheirBounds(string name, string? problem)
    {
        ValidationOptions options = name switch
        {
            "lifetime 1 day" => Good with { MaxLifetime = TimeSpan.FromDays(1) },
            "lifetime 0" => Good with { MaxLifetime = TimeSpan.Zero },
            "token size 256" => Good with { MaxTokenSize = 256 },
            "token size 255" => Good with { MaxTokenSize = 255 },
            "token size 64 KiB" => Good with { MaxTokenSize = 64 * 1024 },
            "cache 1,000,000" => Good with { CacheSize = 1_000_000 },
            "cache -1" => Good with { CacheSize = -1 },
            "no algorithms" => Good with { Algorithms = [] },
            "a null algorithm" => Good with { Algorithms = [JwsAlgorithm.ES256, null!] },
            "an empty audience" => Good with { Audiences = ["a", ""] },
            "blank type" => Good with { Type = " " },
            _ => Good with { RequiredClaims = RegisteredClaims.Audience | RegisteredClaims.Expiration },
        };
        Assert.Equal(problem is null ? [] : [problem], options.Problems());
    }

    [Fact]
    public void Result_OfAValidToken_HasTheValidCode_AndToStringAddsTheDetail()
    {
        Assert.Equal("valid", ValidationResult.CodeOf(ValidationError.None));
        Assert.Equal("Token valid", ValidationResult.MessageOf(ValidationError.None));
        JwsKey es = Key("ES256");
        Assert.Equal("Token valid", V(es).Validate(Tok(es)).ToString());
        Assert.Equal("Invalid audience", V(es).Validate(Tok(es, ("aud", Q("x")))).ToString());
        Assert.Equal("Malformed token: sub", V(es).Validate(Tok(es, ("sub", "5"))).ToString());
    }

    [Fact]
    public void ClientAssertionValidator_RefusesNullArguments()
    {
        var clients = new Dictionary<string, KeySet>();
        var store = new MemoryStore();
        Assert.Throws<ArgumentException>(() => new ClientAssertionValidator("", clients, store));
        Assert.Throws<ArgumentNullException>(() => new ClientAssertionValidator(null!, clients, store));
        Assert.Throws<ArgumentNullException>(() => new ClientAssertionValidator("https://auth.test", null!, store));
        Assert.Throws<ArgumentNullException>(() => new ClientAssertionValidator("https://auth.test", clients, null!));
        Assert.Throws<ArgumentNullException>(() => new ClientAssertionValidator("https://auth.test", clients, store).Validate(null!));
    }

    [Fact]
    public void ClientAssertion_FromAnUnknownClient_NamesTheClientTheRequestClaimed()
    {
        var validator = new ClientAssertionValidator("https://auth.test", new Dictionary<string, KeySet>(), new MemoryStore());
        JwsKey es = Key("ES256");
        string assertion = Tok(es, ("iss", Q("client-a")));
        ClientAssertionResult claimed = validator.Validate(assertion, "client-b");
        Assert.Equal("client-b", claimed.ClientId);
        Assert.Equal("unknown client or no keys registered", claimed.Failure);
        Assert.Equal("client-a", validator.Validate(assertion).ClientId);
    }

    private sealed class MemoryStore : IRevocationStore
    {
        private readonly HashSet<string> _ids = [];

        public bool IsRevoked(string jti) => _ids.Contains(jti);

        public bool IsHealthy => true;

        public bool Revoke(string jti, DateTimeOffset until) => _ids.Add(jti);

        public bool RevokeBefore(CutoffScope scope, string? id, DateTimeOffset before) => throw new NotSupportedException();

        public int Purge(DateTimeOffset now) => 0;

        public void Dispose()
        {
        }
    }
}
