// docs/SPEC.md §8: the security log is JSON lines, one event per issuance, refusal, revocation and denied
// request; it never holds a whole token, a token's signature, or a secret. Checked on the file and
// on the stdout copy meant for journald.
using System.Net;
using System.Text.Json;

namespace Tessera.IntegrationTests.Server;

public sealed partial class TokenServiceTests
{
    [Fact]
    public async Task SecurityLog_RecordsEvents_AndNeverATokenSignatureOrSecret()
    {
        // Whatever else ran in this class before, make sure each kind of event happened.
        string issued = await server.TokenAsync("svc");
        Checks.TokenResponse(await server.PostFormAsync("/token", [ClientCredentials, ("client_id", "other"), ("client_secret", server.Secret("other"))]));
        Checks.TokenResponse(await PostAssertion(server.Assertion("signer")));
        Checks.InvalidClient(await server.PostFormAsync("/token", [ClientCredentials], "svc", server.Secret("other")));
        Checks.InvalidClient(await server.PostFormAsync("/token", [ClientCredentials, ("client_id", "svc"), ("client_secret", "guess-" + server.Secret("svc"))]));
        Reply revoked = await server.PostFormAsync("/revoke", [("token", issued)], "svc");
        Assert.Equal(HttpStatusCode.OK, revoked.Status);

        IReadOnlyList<JsonElement> events = server.SecurityLogEvents();
        string[] names = [.. events.Select(e => e.GetProperty("event").GetString()!)];
        Assert.Contains("service_started", names);
        Assert.Contains("token_issued", names);
        Assert.Contains("client_auth_failed", names);
        Assert.Contains("token_revoked", names);
        Assert.All(events, e => Assert.True(e.TryGetProperty("time", out _), "an event without time: " + e));
        JsonElement issuedEvent = events.Last(e => e.GetProperty("event").GetString() == "token_issued"
            && e.GetProperty("jti").GetString() == Jwt.Payload(issued).GetProperty("jti").GetString());
        Assert.Equal("svc", issuedEvent.GetProperty("client_id").GetString());
        Assert.Equal(Jwt.Kid(issued), issuedEvent.GetProperty("kid").GetString());
        // A failure that names no client (two methods at once, a malformed Basic header) logs no client_id field.
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "client_auth_failed"
            && e.TryGetProperty("client_id", out JsonElement clientId) && clientId.GetString() == "svc");
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "token_revoked" && e.GetProperty("jti").GetString() == issuedEvent.GetProperty("jti").GetString());

        string log = server.SecurityLogText();
        string stdout = server.Output;
        Assert.Contains("token_issued", stdout, StringComparison.Ordinal);
        string privateKey = JsonDocument.Parse(File.ReadAllText(Path.Combine(server.ClientKeyDir("signer"), "private.jwk.json"))).RootElement.GetProperty("d").GetString()!;
        string[] secrets = [.. server.Secrets.Values, "guess-" + server.Secret("svc"), privateKey];
        Assert.True(server.SeenTokens.Count >= 4);
        foreach (string text in new[] { log, stdout })
        {
            foreach (string token in server.SeenTokens)
            {
                Assert.DoesNotContain(token, text, StringComparison.Ordinal);
                Assert.DoesNotContain(Jwt.SignatureSegment(token), text, StringComparison.Ordinal);
                Assert.DoesNotContain(token.Split('.')[1], text, StringComparison.Ordinal);
            }

            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
