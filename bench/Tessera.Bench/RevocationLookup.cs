// Run: dotnet run -c Release --project bench/Tessera.Bench -- --filter '*RevocationLookup*' --job short --iterationCount 10
//
// Step 7's lookup (docs/SPEC.md §7: "a lookup costs well under a microsecond") in a mirror holding
// 1,000,000 revoked jtis and 1,000 subject cutoffs, for a jti that is not revoked (the common
// case), beside a plain HashSet<string>.Contains over the same 1,000,000 jtis as the baseline.
// MirrorCheck is the whole step-7 question (jti, sub, client_id, iat, and the staleness clock).
using BenchmarkDotNet.Attributes;
using Tessera.Revocation;

namespace Tessera.Bench;

[MemoryDiagnoser]
public class RevocationLookup
{
    private const int Entries = 1_000_000;
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private RevocationMirror _mirror = null!;
    private string _absent = "";
    private long _iat;

    [GlobalSetup]
    public void Setup()
    {
        long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        _iat = now - 60;
        _mirror = new RevocationMirror(TimeProvider.System, TimeSpan.FromHours(1));
        var random = new Random(17);
        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < Entries; i++)
        {
            random.NextBytes(bytes);
            string jti = Convert.ToHexString(bytes);
            _set.Add(jti);
            _mirror.Apply(RevocationEntry.ForJti(jti, now + 3600));
        }

        for (int i = 0; i < 1000; i++)
        {
            _mirror.Apply(RevocationEntry.ForCutoff(CutoffScope.Subject, "device-" + i, now - 3600));
        }

        _mirror.MarkSynced();
        random.NextBytes(bytes);
        _absent = Convert.ToHexString(bytes);
        if (_mirror.Count != Entries || _set.Contains(_absent) || _mirror.Check(_absent, Fixture.Subject, Fixture.ClientId, _iat) != RevocationStatus.NotRevoked)
        {
            throw new InvalidOperationException("the fixture is not what the benchmark claims");
        }
    }

    [Benchmark(Baseline = true)]
    public bool HashSetContains() => _set.Contains(_absent);

    [Benchmark]
    public bool MirrorIsRevoked() => _mirror.IsRevoked(_absent);

    [Benchmark]
    public RevocationStatus MirrorCheck() => _mirror.Check(_absent, Fixture.Subject, Fixture.ClientId, _iat);
}
