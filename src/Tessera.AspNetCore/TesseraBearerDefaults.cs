namespace Tessera.AspNetCore;

/// <summary>Default names.</summary>
public static class TesseraBearerDefaults
{
    /// <summary>The default scheme name.</summary>
    public const string AuthenticationScheme = "TesseraBearer";
}
