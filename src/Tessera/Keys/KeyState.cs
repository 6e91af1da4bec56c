namespace Tessera.Keys;

/// <summary>Where a key is in its lifecycle (SPEC.md §5).</summary>
public enum KeyState
{
    /// <summary>Published in the JWKS, not yet signing.</summary>
    Next,

    /// <summary>Signs new tokens. Exactly one key is active.</summary>
    Active,

    /// <summary>Published, no longer signing, until every token it signed has expired plus skew.</summary>
    Retiring,

    /// <summary>Unpublished.</summary>
    Retired,
}
