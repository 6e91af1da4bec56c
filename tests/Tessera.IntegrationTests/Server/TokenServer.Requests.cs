// Requests to the live server, and what came back.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tessera.IntegrationTests.Server;

/// <summary>A response: status, headers (response and content), body text, and the body as JSON when it is JSON.</summary>
public sealed record Reply(HttpStatusCode Status, Dictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    public override string ToString() => $"{(int)Status} {Body}";
}

public abstract partial class TokenServer
{
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>POSTs a form; with <paramref name="basicClient"/>, authenticates with client_secret_basic.</summary>
    public Task<Reply> PostFormAsync(string path, IEnumerable<(string Name, string Value)> form, string? basicClient = null, string? basicSecret = null, Action<HttpRequestMessage>? adjust = null) =>
        SendAsync(HttpMethod.Post, path, new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))), basicClient, basicSecret, adjust);

    public async Task<Reply> SendAsync(HttpMethod method, string path, HttpContent? content, string? basicClient = null, string? basicSecret = null, Action<HttpRequestMessage>? adjust = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (basicClient is not null)
        {
            string pair = Uri.EscapeDataString(basicClient) + ":" + Uri.EscapeDataString(basicSecret ?? Secret(basicClient));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        adjust?.Invoke(request);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IEnumerable<string>> h in response.Headers.Concat(response.Content.Headers))
        {
            headers[h.Key] = string.Join(", ", h.Value);
        }

        var reply = new Reply(response.StatusCode, headers, body);
        if (body.Contains("\"access_token\"", StringComparison.Ordinal))
        {
            SeenTokens.Add(reply.Json.GetProperty("access_token").GetString()!);
        }

        return reply;
    }

    public Task<Reply> GetAsync(string path, Action<HttpRequestMessage>? adjust = null) =>
        SendAsync(HttpMethod.Get, path, null, adjust: adjust);

    /// <summary>client_credentials with client_secret_basic; asserts 200 and returns the access token.</summary>
    public async Task<string> TokenAsync(string clientId, params (string Name, string Value)[] extra)
    {
        Reply reply = await PostFormAsync("/token", [("grant_type", "client_credentials"), .. extra], clientId);
        Assert.True(reply.Status == HttpStatusCode.OK, "token request failed: " + reply);
        return reply.Json.GetProperty("access_token").GetString()!;
    }

    /// <summary>POST /introspect authenticated as <paramref name="asClient"/>; asserts 200.</summary>
    public async Task<JsonElement> IntrospectAsync(string token, string asClient)
    {
        Reply reply = await PostFormAsync("/introspect", [("token", token)], asClient);
        Assert.True(reply.Status == HttpStatusCode.OK, "introspection failed: " + reply);
        return reply.Json;
    }

    /// <summary>
    /// A private_key_jwt assertion made by panva/jose: iss = sub = <paramref name="clientId"/>,
    /// aud <paramref name="audience"/> (default: the token endpoint), random jti, iat now, exp now + <paramref name="expiresIn"/>.
    /// Signed with <paramref name="keyDir"/>'s key (default: the client's registered key), under <paramref name="kid"/> when given.
    /// </summary>
    public string Assertion(string clientId, int expiresIn = 60, string? keyDir = null, string? kid = null, string? audience = null)
    {
        List<string> args =
        [
            "sign", "--key", Path.Combine(keyDir ?? ClientKeyDir(clientId), "private.jwk.json"), "--client", clientId,
            "--audience", audience ?? Issuer + "/token", "--exp-in", expiresIn.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        if (kid is not null)
        {
            args.Add("--kid=" + kid); // "--kid=" form: a base64url kid may begin with "-", which parseArgs would take for an option
        }

        string assertion = Processes.Node("client-assertion.mjs", args).Trim();
        SeenTokens.Add(assertion);
        return assertion;
    }

    /// <summary>The security log file's lines, each parsed (every line must be a JSON object).</summary>
    public IReadOnlyList<JsonElement> SecurityLogEvents()
    {
        string text = SecurityLogText();
        var events = new List<JsonElement>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonElement e = JsonDocument.Parse(line).RootElement;
            Assert.Equal(JsonValueKind.Object, e.ValueKind);
            events.Add(e);
        }

        return events;
    }

    public string SecurityLogText()
    {
        using var stream = new FileStream(SecurityLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
