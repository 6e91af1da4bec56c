// Binds Authentication:Schemes:<scheme> to TesseraBearerOptions, as JwtBearer binds its own, so
// that appsettings.json with Authority and Audience is enough. Code given to AddTesseraBearer
// runs after this and wins.
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore;

internal sealed class TesseraBearerConfiguration(IAuthenticationConfigurationProvider provider) : IConfigureNamedOptions<TesseraBearerOptions>
{
    public void Configure(TesseraBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, TesseraBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        IConfiguration section = provider.GetSchemeConfiguration(name);
        if (!section.GetChildren().Any())
        {
            return;
        }

        options.Authority = section["Authority"] ?? options.Authority;
        options.Issuer = section["Issuer"] ?? options.Issuer;
        options.Audience = section["Audience"] ?? options.Audience;
        options.JwksUri = section["JwksUri"] ?? options.JwksUri;
        options.TokenType = section["TokenType"] ?? options.TokenType;
        options.BackchannelCaFile = section["BackchannelCaFile"] ?? options.BackchannelCaFile;
        options.ClockSkew = Span(section["ClockSkew"]) ?? options.ClockSkew;
        options.MaxTokenLifetime = Span(section["MaxTokenLifetime"]) ?? options.MaxTokenLifetime;
        foreach (string audience in Strings(section.GetSection("Audiences")))
        {
            options.Audiences.Add(audience);
        }

        foreach (string alg in Strings(section.GetSection("Algorithms")))
        {
            options.Algorithms.Add(alg);
        }
    }

    private static IEnumerable<string> Strings(IConfigurationSection section) =>
        section.GetChildren().Select(c => c.Value).OfType<string>();

    private static TimeSpan? Span(string? text) =>
        text is null ? null : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
}
