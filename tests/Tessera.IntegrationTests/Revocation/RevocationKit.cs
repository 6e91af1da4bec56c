using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tessera.Algorithms;
using Tessera.Issuance;
using Tessera.Jose;
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Server.Revocation;
using Tessera.Validation;

namespace Tessera.IntegrationTests.Revocation;

/// <summary>Tokens, validators and stores for the Redis revocation tests.</summary>
public static class RevocationKit
{
    public const string Issuer = "https://issuer.test";
    public static readonly JwsKey Key = JwsKey.Generate(JwsAlgorithm.EdDSA);

    public static long Now => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>A token of <paramref name="subject"/> and <paramref name="client"/> issued at <paramref name="iat"/> (default now), valid 15 minutes.</summary>
    public static (string Token, string Jti) Issue(string subject = "alice", string? client = null, long? iat = null)
    {
        var clock = new Tessera.Tests.Support.FakeClock(iat ?? Now);
        IssuedToken issued = new TokenIssuer(new IssuanceOptions { Issuer = Issuer, Lifetime = TimeSpan.FromMinutes(15) }, clock)
            .Issue(Key, new TokenRequest { Subject = subject, ClientId = client, Audiences = ["api"] });
        return (issued.Token, issued.JwtId);
    }

    public static TokenValidator Validator(IRevocationList list) =>
        new(new ValidationOptions { Issuer = Issuer, Audiences = ["api"], Algorithms = [JwsAlgorithm.EdDSA], CacheSize = 0 }, new KeySet([Key]), TimeProvider.System, list);

    /// <summary>A validator's store: read now (fails when Redis cannot be), then followed.</summary>
    public static IRevocationStore Follow(string url, TimeSpan maxStaleness, string? journal = null, bool oneShot = true) =>
        RevocationStores.Open(Parse(url), TimeProvider.System, maxStaleness, journal, oneShot);

    public static RevocationStoreUri Parse(string url)
    {
        Assert.True(RevocationStoreUri.TryParse(url, out RevocationStoreUri? uri, out string? problem), problem);
        return uri!;
    }

    /// <summary>The claim <paramref name="name"/> of a token, read without verifying it.</summary>
    public static string Claim(string token, string name)
    {
        string payload = token.Split('.')[1];
        using JsonDocument json = JsonDocument.Parse(Base64Url.Decode(payload)!);
        return json.RootElement.GetProperty(name).ToString();
    }

    /// <summary>Polls <paramref name="condition"/> until true; returns how long it took, or null after <paramref name="limit"/>.</summary>
    public static TimeSpan? Within(TimeSpan limit, Func<bool> condition, int pollMs = 10)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed <= limit)
        {
            if (condition())
            {
                return clock.Elapsed;
            }

            Thread.Sleep(pollMs);
        }

        return condition() ? clock.Elapsed : null;
    }

    public static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
