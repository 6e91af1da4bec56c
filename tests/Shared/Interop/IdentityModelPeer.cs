// The IdentityModel side of the interop tests (Microsoft.IdentityModel.JsonWebTokens): keys made with
// the BCL as IdentityModel uses them, the same keys as Tessera imports them, and tokens its handler
// creates. Shared by the in-process interop tests (tests/Tessera.Tests/Interop) and the one that
// checks such a token with the real `tessera verify` (tests/Tessera.IntegrationTests/Interop).
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Algorithms;
using Tessera.Keys;
using Tessera.Tests.Support;

namespace Tessera.Tests.Interop;

internal static class IdentityModelPeer
{
    /// <summary>The subject of every interop token.</summary>
    public const string Subject = "meter-17";

    /// <summary>A token IdentityModel's handler creates at <see cref="Tokens.Now"/>: the test issuer and audience, <see cref="Subject"/>, this jti.</summary>
    public static string Create(SecurityKey signingKey, string alg, string jti) =>
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

    /// <summary>
    /// A key made with the BCL for IdentityModel, and the same key as Tessera imports it. The two
    /// sides name the key independently: IdentityModel's kid is IdentityModel's own RFC 7638
    /// thumbprint computation, and Tessera imports the bare public key (the secret, for HMAC) with
    /// no kid, so its <see cref="JwsKey.KeyId"/> is Tessera's own thumbprint. A token finds its key
    /// only when the two computations agree.
    /// </summary>
    public sealed class PeerKey : IDisposable
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
                    return new PeerKey(key, JwsKey.ImportPem(rsa.ExportSubjectPublicKeyInfoPem(), algorithm), rsa);
                }

                case AlgorithmFamily.Ecdsa:
                {
                    var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    var key = new ECDsaSecurityKey(ecdsa);
                    key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key).ComputeJwkThumbprint());
                    return new PeerKey(key, JwsKey.ImportPem(ecdsa.ExportSubjectPublicKeyInfoPem(), algorithm), ecdsa);
                }

                default:
                {
                    byte[] secret = RandomNumberGenerator.GetBytes(32);
                    var key = new SymmetricSecurityKey(secret);
                    key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSymmetricSecurityKey(key).ComputeJwkThumbprint());
                    string jwk = $"{{\"kty\":\"oct\",\"alg\":\"{alg}\",\"k\":\"{Tokens.B64(secret)}\"}}";
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
