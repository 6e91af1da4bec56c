// A telemetry API that trusts Tessera's tokens. Configuration (appsettings.json or environment
// variables such as Authentication__Schemes__TesseraBearer__Authority) gives the issuer and the
// audience; keys come from the issuer's JWKS, found through its metadata.
using System.Security.Claims;
using Tessera.AspNetCore;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme).AddTesseraBearer();
builder.Services.AddAuthorization(o =>
{
    o.AddPolicy("read", p => p.RequireScope("demo:read"));
    o.AddPolicy("write", p => p.RequireScope("demo:write"));
});

WebApplication app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/healthz", () => "ok\n");
app.MapGet("/readings", (ClaimsPrincipal user) => new { device = user.FindFirstValue("sub"), flow_m3h = 41.2 })
    .RequireAuthorization("read");
app.MapPost("/setpoint", (ClaimsPrincipal user) => Results.Accepted(value: new { by = user.FindFirstValue("sub") }))
    .RequireAuthorization("write");

app.Run();
