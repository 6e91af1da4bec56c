// RFC 6750 §2.1 as read by AddTesseraBearer and tessera gate: which Authorization headers hold a
// bearer token, which hold none (another scheme: 401 "Bearer"), and which cannot hold one
// (malformed: 401 invalid_token).
using Microsoft.Extensions.Primitives;
using Tessera.AspNetCore;

namespace Tessera.Tests.Edge;

public sealed class BearerHeadersTests
{
    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("BEARER  abc.def.ghi ", "abc.def.ghi")]
    [InlineData("Bearer a-b_c~d+e/f=", "a-b_c~d+e/f=")]
    public void ABearerToken_IsRead(string header, string token)
    {
        Assert.Equal(token, BearerHeaders.ReadToken(new StringValues(header), out bool malformed));
        Assert.False(malformed);
    }

    [Theory]
    [InlineData("Basic c3ZjOnNlY3JldA==")]
    [InlineData("Bearerabc.def.ghi")]
    [InlineData("DPoP abc.def.ghi")]
    [InlineData("")]
    public void AnotherScheme_IsNoToken_NotMalformed(string header)
    {
        Assert.Null(BearerHeaders.ReadToken(new StringValues(header), out bool malformed));
        Assert.False(malformed);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer abc def")]
    [InlineData("Bearer abc\"def")]
    [InlineData("Bearer abc,def")]
    [InlineData("Bearer ab\u00e9")]
    public void AHeaderThatCannotHoldAToken_IsMalformed(string header)
    {
        Assert.Null(BearerHeaders.ReadToken(new StringValues(header), out bool malformed));
        Assert.True(malformed);
    }

    [Fact]
    public void TwoAuthorizationHeaders_AreMalformed_NeitherIsChosen()
    {
        Assert.Null(BearerHeaders.ReadToken(new StringValues(["Bearer a.b.c", "Bearer d.e.f"]), out bool malformed));
        Assert.True(malformed);
    }

    [Fact]
    public void NoHeader_IsNoToken()
    {
        Assert.Null(BearerHeaders.ReadToken(StringValues.Empty, out bool malformed));
        Assert.False(malformed);
    }
}
