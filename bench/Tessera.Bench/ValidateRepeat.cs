// Run: dotnet run -c Release --project bench/Tessera.Bench -- --filter '*ValidateRepeat*' --job short --iterationCount 10
//
// The same valid token validated again and again. Tessera runs with its verified-token cache
// on (the default), so after the first call a repeat skips parsing and the signature and runs
// only typ, claims and revocation. The peers have no equivalent cache: their rows are the same
// call as in ValidateFirstSight (JsonWebTokenHandler keeps only its crypto-provider cache).
// Raw = the signature primitive alone, as in ValidateFirstSight, so the ratios are comparable.
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Validation;

namespace Tessera.Bench;

[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class ValidateRepeat
{
    private Fixture _f = null!;
    private TokenValidator _validator = null!;
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _parameters = null!;
    private object _joseKey = null!;
    private string _token = "";
    private byte[] _input = [];
    private byte[] _signature = [];

    [ParamsAllValues]
    public BenchAlg Alg { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _f = new Fixture(Alg);
        _token = _f.Token;
        _input = _f.SigningInput;
        _signature = _f.Signature;
        _validator = _f.Validator(cacheSize: 10_000); // ValidationOptions.CacheSize default
        Checks.Require(RawPrimitive(), _f, "raw verify");

        // The first call verifies and remembers; the second must come from the cache and agree.
        ValidationResult first = TesseraValidator();
        ValidationResult again = TesseraValidator();
        Checks.Require(first, _f);
        Checks.Require(again, _f);
        if (!ReferenceEquals(first.Claims, again.Claims))
        {
            throw new InvalidOperationException($"{Alg}: the repeat was not served from Tessera's cache");
        }

        if (_f.HasPeers)
        {
            _handler = new JsonWebTokenHandler();
            _parameters = _f.MsParameters();
            _joseKey = _f.JoseKey(forSigning: false);
            Checks.Require(MsJsonWebTokenHandler().GetAwaiter().GetResult(), _f);
            Checks.RequireJose(JoseJwt(), _f);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _f.Dispose();

    [Benchmark(Baseline = true)]
    public bool RawPrimitive() => _f.RawVerify(_input, _signature);

    [Benchmark]
    public ValidationResult TesseraValidator() => _validator.Validate(_token);

    [Benchmark]
    public Task<TokenValidationResult> MsJsonWebTokenHandler() => _handler.ValidateTokenAsync(_token, _parameters);

    [Benchmark]
    public string JoseJwt() => global::Jose.JWT.Decode(_token, _joseKey, _f.JoseAlgorithm);
}
