namespace Tessera.Revocation;

/// <summary>Which tokens a cutoff applies to (docs/SPEC.md §7).</summary>
public enum CutoffScope
{
    /// <summary>Every token of the issuer.</summary>
    Issuer = 0,

    /// <summary>The tokens whose <c>sub</c> equals the cutoff's id.</summary>
    Subject,

    /// <summary>The tokens whose <c>client_id</c> equals the cutoff's id.</summary>
    Client,
}
