// RequireScope: the token's "scope" claim (RFC 9068 §2.2.3, space-separated) must hold every
// scope named. A failure is remembered on the request so the 403 names the scopes (RFC 6750 §3).
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Tessera.AspNetCore;

/// <summary>Requires every one of <see cref="Scopes"/> in the token's <c>scope</c> claim.</summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    internal const string MissingKey = "tessera.missing_scope";

    /// <summary>Creates the requirement; each scope must be a non-empty token without spaces.</summary>
    public ScopeRequirement(IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        Scopes = [.. scopes];
        if (Scopes.Count == 0 || Scopes.Any(s => string.IsNullOrEmpty(s) || s.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException("RequireScope needs scope names without spaces", nameof(scopes));
        }
    }

    /// <summary>The scopes required.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <inheritdoc/>
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        HashSet<string> granted = [.. context.User.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        if (requirement.Scopes.All(granted.Contains))
        {
            context.Succeed(requirement);
        }
        else if (context.Resource is HttpContext http)
        {
            http.Items[MissingKey] = requirement.Scopes;
        }

        return Task.CompletedTask;
    }
}
