// Run: dotnet run -c Release --project bench/Tessera.Bench -- --filter '*ValidateWithRevocation*' --job short --iterationCount 10
//
// What step 7 adds to a validation: the same EdDSA token validated by a validator without a deny
// list (baseline) and by one whose RevocationMirror holds 1,000,000 revoked jtis, both on first
// sight (cache off: parse, signature, claims, revocation) and on repeat (cache on: only steps 5-7).
using BenchmarkDotNet.Attributes;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Validation;

namespace Tessera.Bench;

[MemoryDiagnoser]
public class ValidateWithRevocation
{
    private Fixture _f = null!;
    private TokenValidator _plainFirst = null!;
    private TokenValidator _mirrorFirst = null!;
    private TokenValidator _plainRepeat = null!;
    private TokenValidator _mirrorRepeat = null!;

    [GlobalSetup]
    public void Setup()
    {
        _f = new Fixture(BenchAlg.EdDSA);
        long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var mirror = new RevocationMirror(TimeProvider.System, TimeSpan.FromHours(1));
        for (int i = 0; i < 1_000_000; i++)
        {
            mirror.Apply(RevocationEntry.ForJti("revoked-" + i, now + 3600));
        }

        mirror.MarkSynced();
        _plainFirst = Make(0, null);
        _mirrorFirst = Make(0, mirror);
        _plainRepeat = Make(10_000, null);
        _mirrorRepeat = Make(10_000, mirror);
        foreach (TokenValidator v in new[] { _plainFirst, _mirrorFirst, _plainRepeat, _mirrorRepeat })
        {
            Checks.Require(v.Validate(_f.Token), _f);
        }
    }

    [Benchmark(Baseline = true)]
    public ValidationResult FirstSight_NoRevocation() => _plainFirst.Validate(_f.Token);

    [Benchmark]
    public ValidationResult FirstSight_Mirror1M() => _mirrorFirst.Validate(_f.Token);

    [Benchmark]
    public ValidationResult Repeat_NoRevocation() => _plainRepeat.Validate(_f.Token);

    [Benchmark]
    public ValidationResult Repeat_Mirror1M() => _mirrorRepeat.Validate(_f.Token);

    private TokenValidator Make(int cacheSize, IRevocationList? list) => new(
        new ValidationOptions { Issuer = Fixture.Issuer, Audiences = [Fixture.Audience], Algorithms = [_f.Algorithm], CacheSize = cacheSize },
        new KeySet([_f.VerifyingKey]),
        TimeProvider.System,
        list);
}
