// POST /revoke (RFC 7009) and POST /introspect (RFC 7662) on the embedded SQLite deny list
// (docs/SPEC.md §7): a client revokes only its own tokens, unknown tokens get 200, and a revocation
// outlives the process that acknowledged it.
using System.Net;
using System.Text.Json;

namespace Tessera.IntegrationTests.Server;

using Cli = Tessera.IntegrationTests.Support.Cli;

public sealed class RevocationTests(RevocationServer server) : IClassFixture<RevocationServer>
{
    [Fact]
    public async Task Revoke_ThenIntrospect_IsInactive_WhileOtherTokensStayActive()
    {
        string token = await server.TokenAsync("svc");
        string sibling = await server.TokenAsync("svc");

        JsonElement before = await server.IntrospectAsync(token, "svc");
        Assert.True(before.GetProperty("active").GetBoolean());
        Assert.Equal("svc", before.GetProperty("client_id").GetString());
        Assert.Equal("svc", before.GetProperty("sub").GetString());
        Assert.Equal(server.Issuer, before.GetProperty("iss").GetString());
        Assert.Equal(Jwt.Payload(token).GetProperty("jti").GetString(), before.GetProperty("jti").GetString());
        Assert.Equal(Jwt.Payload(token).GetProperty("exp").GetInt64(), before.GetProperty("exp").GetInt64());

        Reply revoke = await server.PostFormAsync("/revoke", [("token", token), ("token_type_hint", "access_token")], "svc");

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.Equal("", revoke.Body);
        Assert.Equal("""{"active":false}""", (await server.IntrospectAsync(token, "svc")).GetRawText());
        Assert.Equal("""{"active":false}""", (await server.IntrospectAsync(token, "other")).GetRawText());
        Assert.True((await server.IntrospectAsync(sibling, "svc")).GetProperty("active").GetBoolean());
        Assert.Contains(server.SecurityLogEvents(), e => e.GetProperty("event").GetString() == "token_revoked"
            && e.GetProperty("jti").GetString() == before.GetProperty("jti").GetString());
    }

    [Fact]
    public async Task Revoke_TokenOfAnotherClient_DoesNothing()
    {
        string othersToken = await server.TokenAsync("other");

        Reply revoke = await server.PostFormAsync("/revoke", [("token", othersToken)], "svc");

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.True((await server.IntrospectAsync(othersToken, "other")).GetProperty("active").GetBoolean());
        Assert.True((await server.IntrospectAsync(othersToken, "svc")).GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln")]
    public async Task Revoke_UnknownToken_Is200(string token)
    {
        Reply revoke = await server.PostFormAsync("/revoke", [("token", token)], "svc");

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.Equal("", revoke.Body);
        Assert.Equal("""{"active":false}""", (await server.IntrospectAsync(token, "svc")).GetRawText());
    }

    [Fact]
    public async Task Revoke_And_Introspect_RequireClientAuthentication()
    {
        string token = await server.TokenAsync("svc");

        Checks.InvalidClient(await server.PostFormAsync("/revoke", [("token", token)], "svc", "wrong"));
        Checks.InvalidClient(await server.PostFormAsync("/introspect", [("token", token)]));
        Assert.True((await server.IntrospectAsync(token, "svc")).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Revocation_SurvivesServerKillAndRestart()
    {
        string revoked = await server.TokenAsync("svc");
        string kept = await server.TokenAsync("svc");
        Assert.Equal(HttpStatusCode.OK, (await server.PostFormAsync("/revoke", [("token", revoked)], "svc")).Status);
        Assert.False((await server.IntrospectAsync(revoked, "svc")).GetProperty("active").GetBoolean());
        int pid = server.ProcessId;

        await server.RestartAsync();

        Assert.NotEqual(pid, server.ProcessId);
        Assert.Equal("""{"active":false}""", (await server.IntrospectAsync(revoked, "svc")).GetRawText());
        Assert.True((await server.IntrospectAsync(kept, "svc")).GetProperty("active").GetBoolean());
        (int exit, JsonElement answer) = Checks.TesseraVerify(server, kept);
        Assert.True(exit == 0, "tessera verify refused the kept token after the restart: " + answer);
    }

    [Fact]
    public async Task Revoke_ByCliWhileServing_ReachesTheRunningServer()
    {
        string token = await server.TokenAsync("svc");
        Assert.True((await server.IntrospectAsync(token, "svc")).GetProperty("active").GetBoolean());

        Cli.Outcome revoke = Cli.Run(["revoke", token, "--config", server.ConfigPath]);

        Assert.True(revoke.ExitCode == 0, "tessera revoke failed: " + revoke.Stdout + revoke.Stderr);
        // "A running service sees the revocation within a second": poll, bounded (no timing assertion).
        JsonElement answer = default;
        for (int i = 0; i < 100; i++)
        {
            answer = await server.IntrospectAsync(token, "svc");
            if (!answer.GetProperty("active").GetBoolean())
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("""{"active":false}""", answer.GetRawText());
    }
}
