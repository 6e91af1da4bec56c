// Run: dotnet run -c Release --project bench/Tessera.Bench -- --filter 'Tessera.Bench.Sign.*' --job short --iterationCount 10
//
// Issuing one RFC 9068 access token: header {alg, typ: at+jwt, kid}; claims iss, sub, aud, exp,
// nbf, iat, jti (128 random bits, fresh per token), client_id, scope; 15-minute lifetime from
// TimeProvider.System. Every participant does that whole job on each call (clock read, fresh
// jti, JSON, base64url, signature), except Raw, which only signs an equivalent signing input
// (the bytes of a Tessera token's "header.payload") into a preallocated buffer. Every library's
// output is checked once in GlobalSetup by a full Tessera validation. EdDSA has no peer cells.
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using B64 = System.Buffers.Text.Base64Url;

namespace Tessera.Bench;

[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class Sign
{
    private Fixture _f = null!;
    private byte[] _input = [];
    private byte[] _destination = [];
    private JsonWebTokenHandler _handler = null!;
    private SigningCredentials _credentials = null!;
    private object _joseKey = null!;
    private Dictionary<string, object> _joseHeaders = null!;

    [ParamsAllValues]
    public BenchAlg Alg { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _f = new Fixture(Alg);
        _input = _f.SigningInput;
        _destination = new byte[_f.Signature.Length];
        int n = RawSign();
        Checks.Require(n == _f.Signature.Length && _f.RawVerify(_input, _destination), _f, "raw sign");
        _f.AssertTesseraAccepts(TesseraIssuer(), "Tessera");
        if (_f.HasPeers)
        {
            _handler = new JsonWebTokenHandler();
            _credentials = new SigningCredentials(_f.MsKey(forSigning: true), _f.Algorithm.Name);
            _joseKey = _f.JoseKey(forSigning: true);
            _joseHeaders = new Dictionary<string, object> { ["typ"] = "at+jwt", ["kid"] = _f.SigningKey.KeyId };
            _f.AssertTesseraAccepts(MsJsonWebTokenHandler(), "JsonWebTokenHandler");
            _f.AssertTesseraAccepts(JoseJwt(), "jose-jwt");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _f.Dispose();

    [Benchmark(Baseline = true)]
    public int RawSign() => _f.RawSign(_input, _destination);

    [Benchmark]
    public string TesseraIssuer() => _f.TesseraIssuer.Issue(_f.SigningKey, Fixture.Request).Token;

    [Benchmark]
    public string MsJsonWebTokenHandler()
    {
        DateTime now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Fixture.Issuer,
            Audience = Fixture.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            TokenType = "at+jwt",
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Fixture.Subject,
                ["jti"] = NewJwtId(),
                ["client_id"] = Fixture.ClientId,
                ["scope"] = Fixture.Scope,
            },
        });
    }

    [Benchmark]
    public string JoseJwt()
    {
        long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>
        {
            ["iss"] = Fixture.Issuer,
            ["sub"] = Fixture.Subject,
            ["aud"] = Fixture.Audience,
            ["exp"] = now + 900,
            ["nbf"] = now,
            ["iat"] = now,
            ["jti"] = NewJwtId(),
            ["client_id"] = Fixture.ClientId,
            ["scope"] = Fixture.Scope,
        };
        return global::Jose.JWT.Encode(payload, _joseKey, _f.JoseAlgorithm, _joseHeaders);
    }

    // The same 128 random bits, base64url, that Tessera puts in every jti.
    private static string NewJwtId()
    {
        Span<byte> id = stackalloc byte[16];
        RandomNumberGenerator.Fill(id);
        return B64.EncodeToString(id);
    }
}
