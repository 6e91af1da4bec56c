// Interop with Microsoft.IdentityModel.JsonWebTokens 8.23.0 (the validator behind ASP.NET Core's
// JwtBearer), in process: Tessera's tokens validate under JsonWebTokenHandler, and tokens its
// handler creates validate under Tessera. Both sides are also shown refusing a tampered token. (The
// same tokens through the real `tessera verify` are in tests/Tessera.IntegrationTests/Interop.)
//
// EdDSA is not covered: Microsoft.IdentityModel 8.x has no Ed25519 (the BCL has none), so
// services built on it need RS256/PS256/ES256 keys from Tessera (docs/SPEC.md §1: RS256 with 4096-bit
// keys is one setting away).
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Keys;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Interop;

using static Tessera.Tests.Interop.IdentityModelPeer;
using Validators = Tessera.Tests.Support.Validators;

public sealed class IdentityModelInteropTests
{
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
    public void Tessera_Accepts_TokenCreatedByIdentityModel_FindingItsKeyByTesserasOwnThumbprint(string alg)
    {
        // The token's kid is IdentityModel's RFC 7638 thumbprint; Tessera imported the bare key
        // and named it by its own (IdentityModelPeer). Tessera's thumbprint is also recomputed
        // here from the JWK as Tessera publishes it, so all three must agree.
        using PeerKey peer = PeerKey.Create(alg);
        string jti = Guid.NewGuid().ToString("N");
        string token = Create(peer.SigningKey, alg, jti);
        string tokenKid = new JsonWebToken(token).Kid;

        ValidationResult result = Validators.For(new KeySet([peer.TesseraKey])).Validate(token);

        Assert.True(result.IsValid, $"{result.Code}: {result.Detail}");
        Assert.Equal(Subject, result.Claims!.Subject);
        Assert.Equal(jti, result.Claims.JwtId);
        Assert.Equal(Tokens.Issuer, result.Claims.Issuer);
        Assert.Equal([Tokens.Audience], result.Claims.Audiences);
        Assert.Equal(Rfc7638(peer.TesseraKey), tokenKid);
        Assert.Equal(peer.TesseraKey.Thumbprint, tokenKid);
        Assert.Equal(tokenKid, result.Key!.KeyId);
        Assert.Same(peer.TesseraKey, result.Key);
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

    /// <summary>
    /// RFC 7638 §3 from the JWK as Tessera exports it: the required members of the key type, in
    /// lexicographic order, no whitespace, SHA-256, base64url.
    /// </summary>
    private static string Rfc7638(JwsKey key)
    {
        using JsonDocument jwk = JsonDocument.Parse(key.Algorithm.IsSymmetric ? key.ExportPrivateJwk() : key.ExportJwk());
        JsonElement root = jwk.RootElement;
        string kty = root.GetProperty("kty").GetString()!;
        string[] members = kty switch
        {
            "RSA" => ["e", "kty", "n"],
            "EC" => ["crv", "kty", "x", "y"],
            "OKP" => ["crv", "kty", "x"],
            "oct" => ["k", "kty"],
            _ => throw new ArgumentException("no RFC 7638 members for kty " + kty),
        };
        string canonical = "{" + string.Join(",", members.Select(m => $"\"{m}\":\"{root.GetProperty(m).GetString()}\"")) + "}";
        return Tokens.B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
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
}
