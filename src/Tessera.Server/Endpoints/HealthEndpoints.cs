// Health (docs/SPEC.md §6, §8): /healthz answers while the process runs; /readyz only while a key
// signs and the revocation store answers, so a load balancer stops sending requests otherwise.
using Microsoft.AspNetCore.Http;

namespace Tessera.Server.Endpoints;

internal sealed class HealthEndpoints(ServiceState state)
{
    public static IResult Live() => Results.Text("ok\n");

    public IResult Ready()
    {
        bool keys = state.Ring.Active is not null;
        bool store = state.Store.IsHealthy;
        return keys && store
            ? Results.Text("ready\n")
            : Results.Text($"not ready: keys {(keys ? "ok" : "no active key")}, store {(store ? "ok" : "unreachable or stale")}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
