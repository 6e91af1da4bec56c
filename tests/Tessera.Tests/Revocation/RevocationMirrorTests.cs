using Tessera.Revocation;
using Tessera.Tests.Support;

namespace Tessera.Tests.Revocation;

/// <summary>
/// docs/SPEC.md §7 on the local copy step 7 reads: jtis with expiry, cutoffs by issuer, client and
/// subject (the latest that applies wins; "before" is strict), and the staleness bound.
/// </summary>
public sealed class RevocationMirrorTests
{
    private const long Now = Tokens.Now;
    private readonly FakeClock _clock = new(Now);

    private RevocationMirror Fresh()
    {
        var mirror = new RevocationMirror(_clock, TimeSpan.FromSeconds(5));
        mirror.MarkSynced();
        return mirror;
    }

    // ---- jtis -------------------------------------------------------------------------------

    [Fact]
    public void Jti_IsRevokedUntilItsTime_ThenPurgeDropsIt()
    {
        RevocationMirror mirror = Fresh();
        Assert.True(mirror.Apply(RevocationEntry.ForJti("a", Now + 10)));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("a", "s", "c", Now));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("b", "s", "c", Now));
        Assert.True(mirror.IsRevoked("a"));

        _clock.Now = Now + 10;
        mirror.MarkSynced();
        Assert.False(mirror.IsRevoked("a"));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("a", "s", "c", Now));
        Assert.Equal(1, mirror.Count);
        Assert.Equal(1, mirror.Purge());
        Assert.Equal(0, mirror.Count);
    }

    [Fact]
    public void Jti_AlreadyExpired_IsNeverAdded_SoTheSetNeverOutgrowsTheUnexpiredOnes()
    {
        RevocationMirror mirror = Fresh();
        Assert.False(mirror.Apply(RevocationEntry.ForJti("old", Now)));
        Assert.False(mirror.Apply(RevocationEntry.ForJti("older", Now - 100)));
        Assert.Equal(0, mirror.Count);
    }

    [Fact]
    public void Jti_ALaterTimeExtends_AnEarlierOneChangesNothing_AndPurgeKeepsTheExtension()
    {
        RevocationMirror mirror = Fresh();
        mirror.Apply(RevocationEntry.ForJti("a", Now + 10));
        Assert.False(mirror.Apply(RevocationEntry.ForJti("a", Now + 5)));
        Assert.True(mirror.Apply(RevocationEntry.ForJti("a", Now + 100)));
        _clock.Now = Now + 50;
        Assert.Equal(0, mirror.Purge());
        Assert.True(mirror.IsRevoked("a"));
        Assert.Equal(1, mirror.Count);
    }

    [Fact]
    public void Purge_DropsOnlyWhatExpired()
    {
        RevocationMirror mirror = Fresh();
        for (int i = 0; i < 100; i++)
        {
            mirror.Apply(RevocationEntry.ForJti("j" + i, Now + 1 + i));
        }

        _clock.Now = Now + 50;
        Assert.Equal(50, mirror.Purge());
        Assert.Equal(50, mirror.Count);
        Assert.False(mirror.IsRevoked("j48"));
        Assert.True(mirror.IsRevoked("j50"));
    }

    [Fact]
    public void Lookup_OfANonRevokedJti_AllocatesNothing()
    {
        RevocationMirror mirror = Fresh();
        mirror.Apply(RevocationEntry.ForJti("a", Now + 10));
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "other", Now));
        string jti = "not-" + "revoked";
        mirror.Check(jti, "s", "c", Now);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            mirror.Check(jti, "s", "c", Now);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // ---- cutoffs ----------------------------------------------------------------------------

    [Fact]
    public void IssuerCutoff_RefusesEveryTokenIssuedStrictlyBefore_AndAcceptsIatEqualToIt()
    {
        RevocationMirror mirror = Fresh();
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Issuer, null, Now));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "any", "any", Now - 1));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", null, null, Now - 1));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "any", "any", Now));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "any", "any", Now + 1));
    }

    [Fact]
    public void SubjectCutoff_AppliesToThatSubjectOnly()
    {
        RevocationMirror mirror = Fresh();
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "alice", Now));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "alice", "c", Now - 1));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "bob", "c", Now - 1));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", null, "alice", Now - 1));
    }

    [Fact]
    public void ClientCutoff_AppliesToThatClientOnly_NotToASubjectOfTheSameName()
    {
        RevocationMirror mirror = Fresh();
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Client, "meter", Now));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "s", "meter", Now - 1));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "meter", "other", Now - 1));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "s", "meter", Now));
    }

    [Fact]
    public void ALaterCutoffReplacesAnEarlierOne_AnEarlierOneNeverMovesItBack()
    {
        RevocationMirror mirror = Fresh();
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "alice", Now));
        Assert.True(mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "alice", Now + 100)));
        Assert.False(mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "alice", Now + 50)));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "alice", null, Now + 99));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "alice", null, Now + 100));
        Assert.Equal(1, mirror.CutoffCount);
    }

    [Fact]
    public void TheLatestApplicableCutoffWins_WhicheverScopeItHas()
    {
        RevocationMirror mirror = Fresh();
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Issuer, null, Now - 100));
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Client, "meter", Now));
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "alice", Now + 50));

        // Issuer only.
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "bob", "other", Now - 101));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "bob", "other", Now - 100));

        // Client raised above the issuer's.
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "bob", "meter", Now - 1));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "bob", "meter", Now));

        // Subject above both, even with the client's lower one present.
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "alice", "meter", Now + 49));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "alice", "meter", Now + 50));

        // The issuer's raised past them all now applies to everyone.
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Issuer, null, Now + 200));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "alice", "meter", Now + 199));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "alice", "meter", Now + 200));
        Assert.Equal(3, mirror.CutoffCount);
    }

    [Fact]
    public void ATokenWithoutIat_IsRefusedByAnyCutoffThatAppliesToIt()
    {
        RevocationMirror mirror = Fresh();
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "alice", "c", null));
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "alice", Now));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("j", "alice", "c", null));
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "bob", "c", null));
    }

    [Fact]
    public void CutoffEntries_AreCheckedForTheirId()
    {
        Assert.Throws<ArgumentException>(() => RevocationEntry.ForCutoff(CutoffScope.Issuer, "x", Now));
        Assert.Throws<ArgumentException>(() => RevocationEntry.ForCutoff(CutoffScope.Subject, null, Now));
        Assert.Throws<ArgumentException>(() => RevocationEntry.ForCutoff(CutoffScope.Client, "", Now));
        Assert.Throws<ArgumentException>(() => RevocationEntry.ForJti("", Now));
        Assert.Throws<ArgumentException>(() => Fresh().Apply(default));
    }

    // ---- staleness --------------------------------------------------------------------------

    [Fact]
    public void StaleBeforeTheFirstSync_FreshAfter_StaleOnceOlderThanMaxStaleness()
    {
        var mirror = new RevocationMirror(_clock, TimeSpan.FromSeconds(5));
        Assert.True(mirror.IsStale);
        Assert.Null(mirror.LastSync);
        Assert.Equal(RevocationStatus.Stale, mirror.Check("j", "s", "c", Now));

        mirror.MarkSynced();
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Now), mirror.LastSync);
        _clock.Now = Now + 5;
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "s", "c", Now));
        _clock.Now = Now + 6;
        Assert.Equal(RevocationStatus.Stale, mirror.Check("j", "s", "c", Now));
        Assert.True(mirror.IsStale);

        mirror.MarkSynced();
        Assert.Equal(RevocationStatus.NotRevoked, mirror.Check("j", "s", "c", Now));
    }

    [Fact]
    public void AStaleMirror_StillAnswersRevokedForWhatItKnows()
    {
        var mirror = new RevocationMirror(_clock, TimeSpan.FromSeconds(5));
        mirror.Apply(RevocationEntry.ForJti("a", Now + 100));
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "alice", Now));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("a", "s", "c", Now));
        Assert.Equal(RevocationStatus.Revoked, mirror.Check("b", "alice", "c", Now - 1));
        Assert.Equal(RevocationStatus.Stale, mirror.Check("b", "s", "c", Now));
    }

    [Fact]
    public void MarkSynced_NeverMovesBack()
    {
        RevocationMirror mirror = Fresh();
        mirror.MarkSynced(DateTimeOffset.FromUnixTimeSeconds(Now - 100));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Now), mirror.LastSync);
    }

    [Fact]
    public void AnInfiniteBound_IsNeverStaleOnceSynced()
    {
        var mirror = new RevocationMirror(_clock, Timeout.InfiniteTimeSpan);
        mirror.MarkSynced();
        _clock.Now = Now + 1_000_000;
        Assert.False(mirror.IsStale);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RevocationMirror(_clock, TimeSpan.Zero));
    }

    [Fact]
    public void Snapshot_HoldsTheUnexpiredJtisAndEveryCutoff()
    {
        RevocationMirror mirror = Fresh();
        mirror.Apply(RevocationEntry.ForJti("a", Now + 10));
        mirror.Apply(RevocationEntry.ForJti("b", Now + 20));
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Issuer, null, Now));
        mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Client, "c", Now));
        _clock.Now = Now + 15;
        IReadOnlyList<RevocationEntry> all = mirror.Snapshot();
        Assert.Equal(3, all.Count);
        Assert.Contains(all, e => e.Scope is null && e.Id == "b" && e.Time == Now + 20);
        Assert.Contains(all, e => e.Scope == CutoffScope.Issuer && e.Id is null);
        Assert.Contains(all, e => e.Scope == CutoffScope.Client && e.Id == "c");
    }
}
