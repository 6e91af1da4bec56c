using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Revocation.Sqlite;
using Tessera.Tests.Support;
using Tessera.Validation;
using static Tessera.Tests.Attacks.Kit;

namespace Tessera.Tests.Revocation;

/// <summary>
/// Step 7 of docs/SPEC.md §2 over a <see cref="RevocationMirror"/>: cutoffs by sub, client_id and
/// issuer answer <c>revoked</c>; a stale list refuses with "Token revoked: revocation list stale"
/// unless <see cref="ValidationOptions.AcceptStaleRevocations"/>, which marks the result.
/// </summary>
public sealed class RevocationStepTests
{
    private readonly FakeClock _clock = new(Tokens.Now);
    private readonly JwsKey _key = Key("ES256");

    private TokenValidator Validator(IRevocationList list, bool acceptStale = false, int cacheSize = 10_000) =>
        new(Validators.Options(new KeySet([_key]).Algorithms, cacheSize) with { AcceptStaleRevocations = acceptStale }, new KeySet([_key]), _clock, list);

    private string Token(string sub, string client, long iat) =>
        Tok(_key, ("sub", Q(sub)), ("client_id", Q(client)), ("iat", iat.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private RevocationMirror Mirror()
    {
        var mirror = new RevocationMirror(_clock, TimeSpan.FromSeconds(5));
        mirror.MarkSynced();
        return mirror;
    }

    [Theory]
    [InlineData(CutoffScope.Subject, "alice")]
    [InlineData(CutoffScope.Client, "meter")]
    [InlineData(CutoffScope.Issuer, null)]
    public void ACutoff_RefusesTokensIssuedBeforeIt_AsRevoked(CutoffScope scope, string? id)
    {
        RevocationMirror mirror = Mirror();
        TokenValidator validator = Validator(mirror);
        string early = Token("alice", "meter", Tokens.Now - 10);
        string onTheDot = Token("alice", "meter", Tokens.Now);
        Assert.True(validator.Validate(early).IsValid);

        mirror.Apply(RevocationEntry.ForCutoff(scope, id, Tokens.Now));
        ValidationResult refused = validator.Validate(early);
        Assert.Equal(ValidationError.Revoked, refused.Error);
        Assert.Equal("Token revoked", refused.ToString());
        Assert.True(validator.Validate(onTheDot).IsValid);
        Assert.True(validator.Validate(Token("bob", "other", Tokens.Now - 10)).IsValid == (scope != CutoffScope.Issuer));
    }

    [Fact]
    public void AStaleList_RefusesWithItsOwnDetail_EvenARememberedToken()
    {
        RevocationMirror mirror = Mirror();
        TokenValidator validator = Validator(mirror);
        string token = Token("alice", "meter", Tokens.Now);
        Assert.True(validator.Validate(token).IsValid);

        _clock.Now += 6;
        ValidationResult stale = validator.Validate(token);
        Assert.Equal(ValidationError.Revoked, stale.Error);
        Assert.Equal("revoked", stale.Code);
        Assert.Equal("Token revoked: revocation list stale", stale.ToString());
        Assert.False(stale.RevocationStale);

        mirror.MarkSynced();
        Assert.True(validator.Validate(token).IsValid);
    }

    [Fact]
    public void AStaleList_UnderAccept_Accepts_AndSaysSoOnTheResult()
    {
        RevocationMirror mirror = Mirror();
        TokenValidator validator = Validator(mirror, acceptStale: true);
        string token = Token("alice", "meter", Tokens.Now);
        ValidationResult fresh = validator.Validate(token);
        Assert.True(fresh.IsValid);
        Assert.False(fresh.RevocationStale);

        _clock.Now += 6;
        ValidationResult accepted = validator.Validate(token);
        Assert.True(accepted.IsValid);
        Assert.True(accepted.RevocationStale);

        // Accepting stale answers never accepts what the copy knows is revoked.
        mirror.Apply(RevocationEntry.ForJti(accepted.Claims!.JwtId!, Tokens.Now + 1000));
        Assert.Equal(ValidationError.Revoked, validator.Validate(token).Error);
    }

    [Fact]
    public void AListWithoutCheck_IsAskedAboutTheJtiOnly()
    {
        string token = Token("alice", "meter", Tokens.Now);
        string jti = Validator(Mirror()).Validate(token).Claims!.JwtId!;
        Assert.Equal(ValidationError.Revoked, Validator(new Tessera.Tests.Attacks.HashSetRevocations(jti)).Validate(token).Error);
        Assert.True(Validator(new Tessera.Tests.Attacks.HashSetRevocations("other")).Validate(token).IsValid);
    }

    [Fact]
    public void SqliteStore_KeepsCutoffsAcrossAReopen_AndOnlyMovesThemLater()
    {
        using var dir = new TempDir();
        string token = Token("alice", "meter", Tokens.Now - 10);
        using (var store = new SqliteRevocationStore(dir["r.db"], _clock))
        {
            Assert.True(Validator(store).Validate(token).IsValid);
            Assert.True(store.RevokeBefore(CutoffScope.Subject, "alice", DateTimeOffset.FromUnixTimeSeconds(Tokens.Now)));
            Assert.False(store.RevokeBefore(CutoffScope.Subject, "alice", DateTimeOffset.FromUnixTimeSeconds(Tokens.Now - 100)));
            Assert.True(store.RevokeBefore(CutoffScope.Issuer, null, DateTimeOffset.FromUnixTimeSeconds(Tokens.Now - 50)));
            Assert.Equal(ValidationError.Revoked, Validator(store, cacheSize: 0).Validate(token).Error);
        }

        using var reopened = new SqliteRevocationStore(dir["r.db"], _clock);
        Assert.Equal(ValidationError.Revoked, Validator(reopened, cacheSize: 0).Validate(token).Error);
        Assert.True(Validator(reopened, cacheSize: 0).Validate(Token("bob", "meter", Tokens.Now - 10)).IsValid);
        IReadOnlyList<RevocationEntry> entries = reopened.Entries();
        Assert.Contains(entries, e => e.Scope == CutoffScope.Subject && e.Id == "alice" && e.Time == Tokens.Now);
        Assert.Contains(entries, e => e.Scope == CutoffScope.Issuer && e.Time == Tokens.Now - 50);
    }

    [Fact]
    public void SqliteStore_OpensAFileMadeBeforeCutoffs_KeepsItsJtis_AndAddsTheCutoffTable()
    {
        using var dir = new TempDir();
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + dir["old.db"] + ";Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = "CREATE TABLE revoked (jti TEXT PRIMARY KEY, until INTEGER NOT NULL) WITHOUT ROWID; INSERT INTO revoked VALUES ('kept', " + (Tokens.Now + 100) + ");";
            create.ExecuteNonQuery();
        }

        using (var store = new SqliteRevocationStore(dir["old.db"], _clock))
        {
            Assert.True(store.IsRevoked("kept"));
            Assert.True(store.RevokeBefore(CutoffScope.Client, "meter", DateTimeOffset.FromUnixTimeSeconds(Tokens.Now)));
        }

        using var reopened = new SqliteRevocationStore(dir["old.db"], _clock);
        Assert.True(reopened.IsRevoked("kept"));
        Assert.Equal(RevocationStatus.Revoked, reopened.Check("other", "s", "meter", Tokens.Now - 1));
    }

    [Fact]
    public void SqliteStore_NeverAnswersStale()
    {
        using var dir = new TempDir();
        using var store = new SqliteRevocationStore(dir["r.db"], _clock);
        _clock.Now += 100_000;
        Assert.Equal(RevocationStatus.NotRevoked, store.Check("j", "s", "c", _clock.Now));
    }
}
