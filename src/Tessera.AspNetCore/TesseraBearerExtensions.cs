using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore;

/// <summary>Registration of Tessera's bearer handler and scope policies.</summary>
public static class TesseraBearerExtensions
{
    /// <summary>Adds the scheme <c>TesseraBearer</c>, options bound from <c>Authentication:Schemes:TesseraBearer</c>.</summary>
    public static AuthenticationBuilder AddTesseraBearer(this AuthenticationBuilder builder) =>
        builder.AddTesseraBearer(TesseraBearerDefaults.AuthenticationScheme, null);

    /// <summary>Adds the scheme <c>TesseraBearer</c>, bound from configuration, then <paramref name="configure"/>.</summary>
    public static AuthenticationBuilder AddTesseraBearer(this AuthenticationBuilder builder, Action<TesseraBearerOptions> configure) =>
        builder.AddTesseraBearer(TesseraBearerDefaults.AuthenticationScheme, configure);

    /// <summary>Adds a Tessera bearer scheme named <paramref name="scheme"/>.</summary>
    public static AuthenticationBuilder AddTesseraBearer(this AuthenticationBuilder builder, string scheme, Action<TesseraBearerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new EdgeValidators(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TesseraBearerOptions>, TesseraBearerConfiguration>());
        return builder.AddScheme<TesseraBearerOptions, TesseraBearerHandler>(scheme, configure);
    }

    /// <summary>Requires an authenticated user whose token's <c>scope</c> holds every one of <paramref name="scopes"/>.</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder builder, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scopes));
    }
}
