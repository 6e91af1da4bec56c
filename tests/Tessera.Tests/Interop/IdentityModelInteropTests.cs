// Interop with Microsoft.IdentityModel.JsonWebTokens 8.23.0 (the validator behind ASP.NET Core's
// JwtBearer), in process: Tessera's tokens validate under JsonWebTokenHandler, and tokens its
// handler creates validate under Tessera. Both sides are also shown refusing a tampered token.
//
// EdDSA is not covered: Microsoft.IdentityModel 8.x has no Ed25519 (the BCL has none), so
// services built on it need RS256/PS256/ES256 keys from Tessera (docs/SPEC.md §1: RS256 with 4096-bit
// keys is one setting away).
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Keys;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Interop;

using Cli = Tessera.Tests.Support.Cli;
using Validators = Tessera.Tests.Support.Validators;

public sealed class IdentityModelInteropTests
{
    private const string Subject = "meter-17";

    public static TheoryData<string> TesseraAlgorithms => new("RS256", "PS256", "ES256", "HS256");

    public static TheoryData<string> IdentityModelAlgorithms => new(
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.HmacSha256);

    // ---- Tessera issues, IdentityModel validates ----

    [Theory]
    [MemberData(nameof(TesseraAlgorithms))]
    public async Task IdentityModel_Accepts_TokenIssuedByTessera(string alg)
    {
        JwsKey key = TestKeys.For(alg);
        string token = Issue(key);

        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(alg, JwkOf(key)));

        Assert.True(result.IsValid, result.Exception?.ToString());
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(alg, jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal(key.KeyId, jwt.Kid);
        Assert.Equal(Subject, jwt.Subject);
        Assert.Equal(Tokens.Issuer, jwt.Issuer);
        Assert.Equal([Tokens.Audience], jwt.Audiences);
        Assert.Equal(jwt.IssuedAt.AddMinutes(15), jwt.ValidTo);
        Assert.Equal("telemetry:write", result.Claims["scope"]);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
    }

    [Fact]
    public async Task IdentityModel_SelectsKeyByKid_FromTesseraJwks()
    {
        // A resource server configured with the published JWK Set (tessera jwks), not one key.
        JwsKey[] keys = [TestKeys.For("RS256"), TestKeys.For("PS256"), TestKeys.For("ES256")];
        var published = new JsonWebKeySet(new KeySet(keys).ToJwks());
        Assert.Equal(3, published.GetSigningKeys().Count);

        foreach (JwsKey key in keys)
        {
            TokenValidationParameters parameters = Parameters(key.Algorithm.Name, null);
            parameters.IssuerSigningKeys = published.GetSigningKeys();
            parameters.TryAllIssuerSigningKeys = false;
            TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(Issue(key), parameters);
            Assert.True(result.IsValid, key.Algorithm.Name + ": " + result.Exception);
            Assert.Equal(key.KeyId, ((JsonWebToken)result.SecurityToken).Kid);
        }
    }

    [Theory]
    [MemberData(nameof(TesseraAlgorithms))]
    public async Task IdentityModel_Rejects_TesseraToken_WhenSignatureOrPayloadIsTampered(string alg)
    {
        JwsKey key = TestKeys.For(alg);
        string token = Issue(key);

        foreach (string forged in new[] { Tamper.SignatureBit(token), Tamper.Payload(token, Subject, "meter-18") })
        {
            TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(forged, Parameters(alg, JwkOf(key)));
            Assert.False(result.IsValid);
            Assert.IsType<SecurityTokenInvalidSignatureException>(result.Exception);
        }
    }

    // ---- IdentityModel creates, Tessera validates ----

    [Theory]
    [MemberData(nameof(IdentityModelAlgorithms))]
    public void Tessera_Accepts_TokenCreatedByIdentityModel(string alg)
    {
        using PeerKey peer = PeerKey.Create(alg);
        string jti = Guid.NewGuid().ToString("N");
        string token = Create(peer.SigningKey, alg, jti);

        ValidationResult result = Validators.For(new KeySet([peer.TesseraKey])).Validate(token);

        Assert.True(result.IsValid, $"{result.Code}: {result.Detail}");
        Assert.Equal(Subject, result.Claims!.Subject);
        Assert.Equal(jti, result.Claims.JwtId);
        Assert.Equal(Tokens.Issuer, result.Claims.Issuer);
        Assert.Equal([Tokens.Audience], result.Claims.Audiences);
        Assert.Equal(peer.SigningKey.KeyId, result.Key!.KeyId);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha256)]
    public void TesseraCli_Accepts_IdentityModelToken_WithItsExportedPublicKeyPem(string alg)
    {
        // The kid IdentityModel writes is its own RFC 7638 thumbprint; `verify --key` names the
        // PEM key by Tessera's thumbprint, so this passes only when the two computations agree.
        using PeerKey peer = PeerKey.Create(alg);
        using var dir = new TempDir();
        File.WriteAllText(dir["public.pem"], peer.TesseraKey.ExportPublicKeyPem());
        string token = Create(peer.SigningKey, alg, Guid.NewGuid().ToString("N"));

        Cli.Outcome ok = Verify(token, dir["public.pem"], alg);
        Cli.Outcome forged = Verify(Tamper.SignatureBit(token), dir["public.pem"], alg);

        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);
        Assert.Contains("\"valid\":true", ok.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, forged.ExitCode);
        Assert.Contains("\"error\":\"invalid_signature\"", forged.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IdentityModelAlgorithms))]
    public void Tessera_Rejects_IdentityModelToken_WhenSignatureOrPayloadIsTampered(string alg)
    {
        using PeerKey peer = PeerKey.Create(alg);
        string token = Create(peer.SigningKey, alg, Guid.NewGuid().ToString("N"));
        TokenValidator validator = Validators.For(new KeySet([peer.TesseraKey]));

        Assert.True(validator.Validate(token).IsValid);
        Assert.Equal(ValidationError.InvalidSignature, validator.Validate(Tamper.SignatureBit(token)).Error);
        Assert.Equal(ValidationError.InvalidSignature, validator.Validate(Tamper.Payload(token, Subject, "meter-18")).Error);
    }

    // TokenValidationParameters.TimeProvider is not public in 8.23.0, so IdentityModel checks
    // lifetimes against the wall clock: these tokens are issued on the real clock too.
    private static string Issue(JwsKey key) =>
        new TokenIssuer(new IssuanceOptions { Issuer = Tokens.Issuer }, TimeProvider.System)
            .Issue(key, new TokenRequest { Subject = Subject, Audiences = [Tokens.Audience], Scope = "telemetry:write" }).Token;

    // HMAC keys are shared secrets: IdentityModel gets the secret JWK; others get the public JWK.
    private static JsonWebKey JwkOf(JwsKey key) =>
        new(key.Algorithm.IsSymmetric ? key.ExportPrivateJwk() : key.ExportJwk());

    private static TokenValidationParameters Parameters(string alg, SecurityKey? key) => new()
    {
        ValidIssuer = Tokens.Issuer,
        ValidAudience = Tokens.Audience,
        ValidTypes = ["at+jwt"],
        ValidAlgorithms = [alg],
        IssuerSigningKey = key,
    };

    private static string Create(SecurityKey signingKey, string alg, string jti) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Tokens.Issuer,
            Audience = Tokens.Audience,
            TokenType = "at+jwt",
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(Tokens.Now).UtcDateTime,
            NotBefore = DateTimeOffset.FromUnixTimeSeconds(Tokens.Now).UtcDateTime,
            Expires = DateTimeOffset.FromUnixTimeSeconds(Tokens.Now + 300).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = Subject, ["jti"] = jti, ["scope"] = "telemetry:write" },
            SigningCredentials = new SigningCredentials(signingKey, alg),
        });

    private static Cli.Outcome Verify(string token, string pemFile, string alg) =>
        Cli.Run(["verify", token, "--key", pemFile, "--alg", alg, "--issuer", Tokens.Issuer, "--audience", Tokens.Audience,
            "--now", Tokens.Now.ToString(), "--json"]);

    /// <summary>A key made with the BCL for IdentityModel, and the same key as Tessera imports it.</summary>
    private sealed class PeerKey : IDisposable
    {
        private readonly IDisposable? _primitive;

        private PeerKey(SecurityKey signingKey, JwsKey tesseraKey, IDisposable? primitive)
        {
            SigningKey = signingKey;
            TesseraKey = tesseraKey;
            _primitive = primitive;
        }

        public SecurityKey SigningKey { get; }

        public JwsKey TesseraKey { get; }

        public static PeerKey Create(string alg)
        {
            JwsAlgorithm algorithm = JwsAlgorithm.Parse(alg);
            switch (algorithm.Family)
            {
                case AlgorithmFamily.Rsa or AlgorithmFamily.RsaPss:
                {
                    var rsa = RSA.Create(2048);
                    var key = new RsaSecurityKey(rsa);
                    key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(key).ComputeJwkThumbprint());
                    return new PeerKey(key, JwsKey.ImportPem(rsa.ExportSubjectPublicKeyInfoPem(), algorithm, key.KeyId), rsa);
                }

                case AlgorithmFamily.Ecdsa:
                {
                    var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    var key = new ECDsaSecurityKey(ecdsa);
                    key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key).ComputeJwkThumbprint());
                    return new PeerKey(key, JwsKey.ImportPem(ecdsa.ExportSubjectPublicKeyInfoPem(), algorithm, key.KeyId), ecdsa);
                }

                default:
                {
                    byte[] secret = RandomNumberGenerator.GetBytes(32);
                    var key = new SymmetricSecurityKey(secret) { KeyId = "identitymodel-hs256" };
                    string jwk = $"{{\"kty\":\"oct\",\"alg\":\"{alg}\",\"kid\":\"{key.KeyId}\",\"k\":\"{Tokens.B64(secret)}\"}}";
                    return new PeerKey(key, JwsKey.ImportJwk(jwk), null);
                }
            }
        }

        public void Dispose()
        {
            TesseraKey.Dispose();
            _primitive?.Dispose();
        }
    }
}
