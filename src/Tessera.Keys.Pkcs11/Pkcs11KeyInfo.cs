namespace Tessera.Keys.Pkcs11;

/// <summary>What the token says about a private key (for <c>tessera doctor</c>).</summary>
/// <param name="KeyId">The kid (CKA_ID and CKA_LABEL).</param>
/// <param name="KeyType">The JWK key type: <c>OKP</c> (Ed25519), <c>EC</c> (P-256) or <c>RSA</c>.</param>
/// <param name="Sensitive">CKA_SENSITIVE: the private value is never revealed in plaintext.</param>
/// <param name="Extractable">CKA_EXTRACTABLE: the key can be wrapped out of the token.</param>
/// <param name="AlwaysSensitive">CKA_ALWAYS_SENSITIVE: it has been sensitive since it was made.</param>
/// <param name="NeverExtractable">CKA_NEVER_EXTRACTABLE: it has never been extractable.</param>
/// <param name="PrivateValueReadable">True when the token handed out the private value on request (it must not).</param>
public sealed record Pkcs11KeyInfo(
    string KeyId,
    string KeyType,
    bool Sensitive,
    bool Extractable,
    bool AlwaysSensitive,
    bool NeverExtractable,
    bool PrivateValueReadable)
{
    /// <summary>True when the key is as Tessera makes it: sensitive and never extractable.</summary>
    public bool IsHardened => Sensitive && !Extractable && AlwaysSensitive && NeverExtractable && !PrivateValueReadable;
}
