// What a running server says about its keys (the served JWKS, the kid it signs with) and what its
// key directory holds, and a poll with a deadline for the moment the two agree: the rotation
// tests change the directory under a running server and wait for the server to follow.
using System.Diagnostics;
using Tessera.Keys;

namespace Tessera.IntegrationTests.Server;

public static class LiveKeys
{
    /// <summary>How long a running server may take to follow a change of its key directory.</summary>
    public static readonly TimeSpan FollowDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The kids of the served /.well-known/jwks.json, sorted.</summary>
    public static async Task<string[]> PublishedKids(TokenServer server)
    {
        Reply jwks = await server.GetAsync("/.well-known/jwks.json");
        Assert.True(jwks.Status == System.Net.HttpStatusCode.OK, "GET /.well-known/jwks.json: " + jwks);
        return [.. jwks.Json.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];
    }

    /// <summary>The kid in the header of a token issued now to <paramref name="clientId"/>.</summary>
    public static async Task<string> SigningKid(TokenServer server, string clientId = "svc") => Jwt.Kid(await server.TokenAsync(clientId));

    /// <summary>The metadata of every key in <paramref name="dir"/>, by activation.</summary>
    public static KeyMetadata[] Metadata(string dir) =>
        [.. Directory.GetFiles(dir, "*.json").Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Select(f => KeyMetadata.Parse(File.ReadAllText(f), f)).OrderBy(k => k.Activates)];

    public static string[] Sorted(params string[] kids) => [.. kids.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Asks <paramref name="observe"/> every 100 ms until <paramref name="done"/> holds or
    /// <paramref name="deadline"/> passes; returns the last observation, whether it held, and when.
    /// </summary>
    public static async Task<(T Last, bool Held, DateTimeOffset At)> Until<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            T last = await observe();
            DateTimeOffset at = TimeProvider.System.GetUtcNow();
            if (done(last))
            {
                return (last, true, at);
            }

            if (clock.Elapsed > deadline)
            {
                return (last, false, at);
            }

            await Task.Delay(100);
        }
    }
}
