// usage: Tessera.EdgeBench KIND PORT JWKS_FILE ISSUER AUDIENCE ALG
// (the ceiling, Kestrel with no authentication, is bench/BareKestrel)
//   jwtbearer  the stock AddJwtBearer, keys given directly from JWKS_FILE (no network)
//   tessera    AddTesseraBearer; JWKS_FILE served over HTTPS by this process on PORT+1000
// Every kind maps the same minimal API: GET /data (authorised kinds: any valid token).
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Tessera.AspNetCore;

string kind = args[0];
int port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
WebApplication? jwksHost = null;
switch (kind)
{
    case "jwtbearer":
        {
            string jwks = File.ReadAllText(args[2]);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = args[3],
                    ValidAudience = args[4],
                    IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
                    ValidAlgorithms = [args[5]],
                };
            });
            break;
        }

    case "tessera":
        {
            X509Certificate2 cert = SelfSigned();
            jwksHost = await ServeJwksAsync(File.ReadAllText(args[2]), port + 1000, cert);
            builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer(o =>
            {
                o.JwksUri = $"https://127.0.0.1:{port + 1000}/jwks.json";
                o.Issuer = args[3];
                o.Audience = args[4];
                o.Algorithms.Add(args[5]);
                o.BackchannelCa = cert;
            });
            break;
        }

    default:
        Console.Error.WriteLine("unknown kind " + kind);
        return 2;
}

builder.Services.AddAuthorization();
WebApplication app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/data", (ClaimsPrincipal user) => "hello " + user.FindFirstValue("sub")).RequireAuthorization();

app.MapGet("/healthz", () => "ok");
Console.WriteLine($"{kind} listening on {port}");
await app.RunAsync();
if (jwksHost is not null)
{
    await jwksHost.StopAsync();
}

return 0;

static async Task<WebApplication> ServeJwksAsync(string jwks, int port, X509Certificate2 cert)
{
    WebApplicationBuilder b = WebApplication.CreateSlimBuilder();
    b.Logging.ClearProviders();
    b.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(cert)));
    WebApplication host = b.Build();
    host.MapGet("/jwks.json", (HttpContext http) =>
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(jwks, "application/jwk-set+json");
    });
    await host.StartAsync();
    return host;
}

static X509Certificate2 SelfSigned()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=edge-bench", key, HashAlgorithmName.SHA256);
    var san = new SubjectAlternativeNameBuilder();
    san.AddIpAddress(IPAddress.Loopback);
    request.CertificateExtensions.Add(san.Build());
    request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
    DateTimeOffset now = TimeProvider.System.GetUtcNow();
    return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(4));
}
