using Tessera.Algorithms;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Validation;

/// <summary>
/// The verified-token cache hashes only a token's last characters (performance issue: a repeat
/// must not cost more for a longer token), so its equality must still be the whole token: two
/// tokens that share their tail and length are two entries, and a token that differs anywhere
/// from a remembered one is never answered with the remembered claims.
/// </summary>
public sealed class CacheTailHashTests
{
    [Fact]
    public void TokensSharingTailAndLength_HashAlike_ButAreNeverEqual()
    {
        string tail = new('s', TailComparer.TailLength);
        string a = "aaaa." + tail;
        string b = "bbbb." + tail;

        Assert.Equal(TailComparer.Instance.GetHashCode(a), TailComparer.Instance.GetHashCode(b));
        Assert.False(TailComparer.Instance.Equals(a, b));
        Assert.False(TailComparer.Instance.Equals(a.AsSpan(), b));
        Assert.True(TailComparer.Instance.Equals(a.AsSpan(), new string(a.AsSpan())));
        Assert.Equal(TailComparer.Instance.GetHashCode(a), TailComparer.Instance.GetHashCode(a.AsSpan()));
    }

    [Fact]
    public void ATamperedPayload_WithTheRememberedSignature_IsVerifiedAgain_AndRefused()
    {
        // The forged token ends exactly as a remembered one (same signature, same length), so it
        // lands in the same bucket: only the full comparison keeps it from the cached claims.
        JwsKey key = TestKeys.For("EdDSA");
        TokenValidator validator = Validators.For(key);
        string token = Tokens.Valid(key, "\"scope\":\"read\"");
        Assert.True(validator.Validate(token).IsValid);
        string[] parts = token.Split('.');
        char[] payload = parts[1].ToCharArray();
        payload[0] = payload[0] == 'e' ? 'f' : 'e'; // same length, another claims set
        string forged = parts[0] + "." + new string(payload) + "." + parts[2];

        ValidationResult result = validator.Validate(forged);

        Assert.False(result.IsValid);
        Assert.True(validator.Validate(token).IsValid);
    }

    [Fact]
    public void ShortTokens_HashTheirWholeText()
    {
        Assert.NotEqual(TailComparer.Instance.GetHashCode("a.b.c"), TailComparer.Instance.GetHashCode("a.b.d"));
    }
}
