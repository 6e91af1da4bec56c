// Run: dotnet run -c Release --project bench/Tessera.Bench -- --filter '*ValidateFirstSight*' --job short --iterationCount 10
//
// Full validation of a valid token the validator has not seen before. Tessera runs with
// CacheSize = 0, so every call is a first sight: shape, strict JSON, alg, kid, signature, typ,
// claims. Raw = the signature primitive alone over the already-decoded signing input and
// signature bytes (the floor no JWT library can beat). JsonWebTokenHandler checks signature,
// typ, iss, aud and lifetime, with its own caches as shipped; jose-jwt JWT.Decode checks the
// signature (with the expected alg pinned) and nothing else. EdDSA has no peer cells.
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Validation;

namespace Tessera.Bench;

[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class ValidateFirstSight
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
        _validator = _f.Validator(cacheSize: 0);
        Checks.Require(RawPrimitive(), _f, "raw verify");
        Checks.Require(TesseraValidator(), _f);
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
