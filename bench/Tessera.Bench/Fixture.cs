// One algorithm's keys and a valid RFC 9068 access token, shared by every benchmark class.
// Each participant gets its own key object imported from the same key material, so no library
// benefits from state another one built up. Everything is made in GlobalSetup; the token lives
// 15 minutes (TimeProvider.System), far longer than one benchmark process.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using NSec.Cryptography;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Keys;
using Tessera.Validation;
using B64 = System.Buffers.Text.Base64Url;
using JoseAlg = Jose.JwsAlgorithm;

namespace Tessera.Bench;

/// <summary>The benchmark parameter: an algorithm and, for RSA, a modulus size. Declared in table order.</summary>
public enum BenchAlg
{
    HS256,
    RS256_2048,
    RS256_4096,
    ES256,
    EdDSA,
}

/// <summary>The raw primitive behind each algorithm.</summary>
public enum RawFamily
{
    Hmac,
    Rsa,
    Ecdsa,
    Ed25519,
}

/// <summary>Keys, token and peer settings for one benchmark parameter.</summary>
public sealed class Fixture : IDisposable
{
    public const string Issuer = "https://auth.bench.example";
    public const string Audience = "telemetry";
    public const string Subject = "meter-17";
    public const string ClientId = "grid-gateway";
    public const string Scope = "telemetry:read telemetry:write";

    private readonly string _publicPem = "";
    private readonly string _privatePem = "";

    public Fixture(BenchAlg name)
    {
        Name = name;
        (Algorithm, int bits) = name switch
        {
            BenchAlg.HS256 => (JwsAlgorithm.HS256, 0),
            BenchAlg.RS256_2048 => (JwsAlgorithm.RS256, 2048),
            BenchAlg.RS256_4096 => (JwsAlgorithm.RS256, 4096),
            BenchAlg.ES256 => (JwsAlgorithm.ES256, 0),
            BenchAlg.EdDSA => (JwsAlgorithm.EdDSA, 0),
            _ => throw new ArgumentException("Unknown benchmark algorithm " + name, nameof(name)),
        };
        Family = Algorithm.Family switch
        {
            AlgorithmFamily.Hmac => RawFamily.Hmac,
            AlgorithmFamily.Rsa => RawFamily.Rsa,
            AlgorithmFamily.Ecdsa => RawFamily.Ecdsa,
            _ => RawFamily.Ed25519,
        };

        SigningKey = bits > 0 ? JwsKey.Generate(Algorithm, bits) : JwsKey.Generate(Algorithm);
        if (Family == RawFamily.Hmac)
        {
            // The same secret, read back from its private JWK as a user would store it.
            using JsonDocument jwk = JsonDocument.Parse(SigningKey.ExportPrivateJwk());
            Secret = B64.DecodeFromChars(jwk.RootElement.GetProperty("k").GetString());
            VerifyingKey = JwsKey.ImportJwk(SigningKey.ExportPrivateJwk(), Algorithm);
        }
        else
        {
            _publicPem = SigningKey.ExportPublicKeyPem();
            _privatePem = SigningKey.ExportPrivateKeyPem();
            VerifyingKey = JwsKey.ImportPem(_publicPem, Algorithm, SigningKey.KeyId);
        }

        Secret ??= [];
        TesseraIssuer = new TokenIssuer(new IssuanceOptions { Issuer = Issuer, Lifetime = TimeSpan.FromMinutes(15) }, TimeProvider.System);
        Token = TesseraIssuer.Issue(SigningKey, Request).Token;

        int dot2 = Token.LastIndexOf('.');
        SigningInput = Encoding.ASCII.GetBytes(Token[..dot2]);
        Signature = B64.DecodeFromChars(Token.AsSpan(dot2 + 1));

        switch (Family)
        {
            case RawFamily.Rsa:
                RawRsaPublic = RSA.Create();
                RawRsaPublic.ImportFromPem(_publicPem);
                RawRsaPrivate = RSA.Create();
                RawRsaPrivate.ImportFromPem(_privatePem);
                break;
            case RawFamily.Ecdsa:
                RawEcPublic = ECDsa.Create();
                RawEcPublic.ImportFromPem(_publicPem);
                RawEcPrivate = ECDsa.Create();
                RawEcPrivate.ImportFromPem(_privatePem);
                break;
            case RawFamily.Ed25519:
                RawEdPublic = PublicKey.Import(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(_publicPem), KeyBlobFormat.PkixPublicKeyText);
                RawEdPrivate = Key.Import(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(_privatePem), KeyBlobFormat.PkixPrivateKeyText);
                break;
        }
    }

    /// <summary>The claims every participant puts in its tokens (RFC 9068 §2.2).</summary>
    public static TokenRequest Request { get; } = new()
    {
        Subject = Subject,
        Audiences = [Audience],
        Scope = Scope,
        ClientId = ClientId,
    };

    public BenchAlg Name { get; }

    public JwsAlgorithm Algorithm { get; }

    public RawFamily Family { get; }

    /// <summary>False for EdDSA: neither Microsoft.IdentityModel 8.x nor jose-jwt 5.x implements it.</summary>
    public bool HasPeers => Family != RawFamily.Ed25519;

    public JwsKey SigningKey { get; }

    /// <summary>The verification side as a validator would load it (public part only, except HMAC).</summary>
    public JwsKey VerifyingKey { get; }

    public TokenIssuer TesseraIssuer { get; }

    /// <summary>A valid token issued by Tessera: header {alg,typ:at+jwt,kid}, the nine RFC 9068 claims.</summary>
    public string Token { get; }

    /// <summary>ASCII "header.payload" of <see cref="Token"/>.</summary>
    public byte[] SigningInput { get; }

    /// <summary>The decoded signature of <see cref="Token"/>.</summary>
    public byte[] Signature { get; }

    public byte[] Secret { get; }

    public RSA? RawRsaPublic { get; }

    public RSA? RawRsaPrivate { get; }

    public ECDsa? RawEcPublic { get; }

    public ECDsa? RawEcPrivate { get; }

    public PublicKey? RawEdPublic { get; }

    public Key? RawEdPrivate { get; }

    public JoseAlg JoseAlgorithm => Family switch
    {
        RawFamily.Hmac => JoseAlg.HS256,
        RawFamily.Rsa => JoseAlg.RS256,
        _ => JoseAlg.ES256,
    };

    /// <summary>A Tessera validator with the benchmark policy; <paramref name="cacheSize"/> 0 = cache off.</summary>
    public TokenValidator Validator(int cacheSize) => new(
        new ValidationOptions
        {
            Issuer = Issuer,
            Audiences = [Audience],
            Algorithms = [Algorithm],
            CacheSize = cacheSize,
        },
        new KeySet([VerifyingKey]),
        TimeProvider.System);

    /// <summary>The raw primitive verify: no parsing, no claims, just the signature.</summary>
    public bool RawVerify(ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        switch (Family)
        {
            case RawFamily.Hmac:
                Span<byte> mac = stackalloc byte[32];
                HMACSHA256.HashData(Secret, input, mac);
                return CryptographicOperations.FixedTimeEquals(mac, signature);
            case RawFamily.Rsa:
                return RawRsaPublic!.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            case RawFamily.Ecdsa:
                return RawEcPublic!.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            default:
                return SignatureAlgorithm.Ed25519.Verify(RawEdPublic!, input, signature);
        }
    }

    /// <summary>The raw primitive sign into <paramref name="destination"/>; returns the length.</summary>
    public int RawSign(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        switch (Family)
        {
            case RawFamily.Hmac:
                return HMACSHA256.HashData(Secret, input, destination);
            case RawFamily.Rsa:
                return RawRsaPrivate!.SignData(input, destination, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            case RawFamily.Ecdsa:
                return RawEcPrivate!.SignData(input, destination, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            default:
                SignatureAlgorithm.Ed25519.Sign(RawEdPrivate!, input, destination[..64]);
                return 64;
        }
    }

    /// <summary>A fresh Microsoft.IdentityModel key object (verify or sign side) carrying the kid.</summary>
    public SecurityKey MsKey(bool forSigning)
    {
        SecurityKey key;
        switch (Family)
        {
            case RawFamily.Hmac:
                key = new SymmetricSecurityKey(Secret);
                break;
            case RawFamily.Rsa:
                var rsa = RSA.Create();
                rsa.ImportFromPem(forSigning ? _privatePem : _publicPem);
                key = new RsaSecurityKey(rsa);
                break;
            case RawFamily.Ecdsa:
                var ec = ECDsa.Create();
                ec.ImportFromPem(forSigning ? _privatePem : _publicPem);
                key = new ECDsaSecurityKey(ec);
                break;
            default:
                throw new NotSupportedException("Microsoft.IdentityModel has no EdDSA");
        }

        key.KeyId = SigningKey.KeyId;
        return key;
    }

    /// <summary>
    /// What JsonWebTokenHandler checks: signature (alg allow-listed, key by kid), typ, iss, aud,
    /// exp/nbf with 30 s skew, exp required. Its own caches (crypto providers) are left at default.
    /// </summary>
    public TokenValidationParameters MsParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = MsKey(forSigning: false),
        ValidAlgorithms = [Algorithm.Name],
        ValidTypes = ["at+jwt"],
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <summary>A fresh jose-jwt key object (verify or sign side).</summary>
    public object JoseKey(bool forSigning)
    {
        switch (Family)
        {
            case RawFamily.Hmac:
                return Secret;
            case RawFamily.Rsa:
                var rsa = RSA.Create();
                rsa.ImportFromPem(forSigning ? _privatePem : _publicPem);
                return rsa;
            case RawFamily.Ecdsa:
                var ec = ECDsa.Create();
                ec.ImportFromPem(forSigning ? _privatePem : _publicPem);
                return ec;
            default:
                throw new NotSupportedException("jose-jwt has no EdDSA");
        }
    }

    /// <summary>Throws unless <paramref name="token"/> passes full Tessera validation.</summary>
    public void AssertTesseraAccepts(string token, string who)
    {
        ValidationResult result = Validator(cacheSize: 0).Validate(token);
        if (!result.IsValid || result.Claims!.Subject != Subject || result.Claims.JwtId is null)
        {
            throw new InvalidOperationException($"{Name}: Tessera refuses the token made by {who}: {result}");
        }
    }

    public void Dispose()
    {
        SigningKey.Dispose();
        VerifyingKey.Dispose();
        RawRsaPublic?.Dispose();
        RawRsaPrivate?.Dispose();
        RawEcPublic?.Dispose();
        RawEcPrivate?.Dispose();
        RawEdPrivate?.Dispose();
    }
}
