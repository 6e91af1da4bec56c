using System.Text;
using Tessera.Jose;

namespace Tessera.Tests.Mutation;

/// <summary>
/// Base64Url's own canonical check, not the runtime decoder's, is the contract (RFC 4648 §3.5):
/// these pin the bit masks, the destination check and the 1 MiB bound that Stryker showed no test
/// depended on (docs/testing.md).
/// </summary>
public sealed class Base64UrlCanonicalTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public void IsCanonical_Refuses_LengthOneModFour()
    {
        Assert.False(Base64Url.IsCanonical("A"u8));
        Assert.False(Base64Url.IsCanonical("AAAAA"u8));
        Assert.True(Base64Url.IsCanonical("AAAA"u8));
    }

    [Fact]
    public void IsCanonical_Refuses_NonCanonicalTrailingBits_ForEveryLastCharacter()
    {
        // Two trailing characters leave 4 unused bits, three leave 2; they must be zero.
        for (int value = 0; value < 64; value++)
        {
            char c = Alphabet[value];
            Assert.True((value & 0x0F) == 0 == Base64Url.IsCanonical(Encoding.ASCII.GetBytes("A" + c)), "A" + c);
            Assert.True((value & 0x03) == 0 == Base64Url.IsCanonical(Encoding.ASCII.GetBytes("AA" + c)), "AA" + c);
            Assert.True(Base64Url.IsCanonical(Encoding.ASCII.GetBytes("AAA" + c)), "AAA" + c);
        }
    }

    [Fact]
    public void TryDecode_Accepts_ADestinationLargerThanNeeded_AndRefusesASmallerOne()
    {
        byte[] destination = new byte[16];
        Assert.True(Base64Url.TryDecode("Zm9v"u8, destination, out int written));
        Assert.Equal(3, written);
        Assert.Equal("foo"u8.ToArray(), destination[..3]);
        Assert.False(Base64Url.TryDecode("Zm9v"u8, new byte[2], out _));
    }

    [Fact]
    public void Decode_Accepts_OneMebibyteOfText_AndRefusesMore()
    {
        string limit = new('A', 1 << 20);
        Assert.Equal(3 << 18, Base64Url.Decode(limit)!.Length);
        Assert.Null(Base64Url.Decode(limit + "AAAA"));
    }
}
