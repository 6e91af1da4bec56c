// dotnet bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll http://127.0.0.1:PORT
// Every request: 200, empty body. Kestrel set up as tessera gate sets it up (no Server header,
// no request body, HTTP/1.1 over plain loopback), without the decision, metrics or logging.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

string url = args.Length == 1 ? args[0] : "http://127.0.0.1:9099";
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(url);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = 0;
});
WebApplication app = builder.Build();
app.Run(http =>
{
    http.Response.StatusCode = StatusCodes.Status200OK;
    return Task.CompletedTask;
});
await app.RunAsync();
