using System.Text;
using Tessera.Jose;

namespace Tessera.Tests.Jose;

public sealed class Base64UrlTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("Zg", "f")]
    [InlineData("Zm8", "fo")]
    [InlineData("Zm9v", "foo")]
    [InlineData("_-8", "\u00ff\u00ef")]
    public void Decode_Accepts_CanonicalUnpaddedInput(string encoded, string latin1)
    {
        byte[]? bytes = Base64Url.Decode(encoded);
        Assert.NotNull(bytes);
        Assert.Equal(Encoding.Latin1.GetBytes(latin1), bytes);
        Assert.Equal(encoded, Base64Url.Encode(bytes));
    }

    [Theory]
    [InlineData("Zg==")] // padding
    [InlineData("Zg=")]
    [InlineData("Zm9v\n")] // whitespace
    [InlineData(" Zm9v")]
    [InlineData("Zm 9v")]
    [InlineData("Zm+v")] // standard alphabet
    [InlineData("Zm/v")]
    [InlineData("Z")] // length mod 4 == 1
    [InlineData("Zm9vY")]
    [InlineData("Zh")] // non-zero unused bits (Zg is canonical)
    [InlineData("Zm9")] // Zm8 is canonical
    [InlineData("Zm9v.")]
    [InlineData("Zm9vé")]
    public void Decode_Rejects_NonCanonicalInput(string encoded) => Assert.Null(Base64Url.Decode(encoded));

    [Fact]
    public void Decode_IsTheInverseOfEncode_ForAllLengthsUpTo64()
    {
        var random = new Random(7638);
        for (int length = 0; length <= 64; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(data, Base64Url.Decode(Base64Url.Encode(data)));
        }
    }
}
