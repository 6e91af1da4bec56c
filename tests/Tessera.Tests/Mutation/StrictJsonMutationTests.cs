using System.Text;
using Tessera.Jose;
using Tessera.Validation;

namespace Tessera.Tests.Mutation;

/// <summary>StrictJson's root, name-scope and name-count rules, each pinned at its boundary.</summary>
public sealed class StrictJsonMutationTests
{
    [Fact]
    public void IsPlausible_Refuses_AnEmptyDocument_AndAByteOrderMark()
    {
        Assert.False(StrictJson.IsPlausible([]));
        Assert.False(StrictJson.IsPlausible([0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}']));
        Assert.True(StrictJson.IsPlausible("{}"u8));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{}]")]
    [InlineData("\"alg\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void OpenObject_Refuses_ARootThatIsNotAnObject(string json)
    {
        byte[] doc = Encoding.UTF8.GetBytes(json);
        var reader = new StrictJson(doc, new byte[doc.Length], new int[StrictJson.MaxNames], new int[StrictJson.MaxDepth + 1]);
        Assert.False(reader.OpenObject());
    }

    [Fact]
    public void Names_LeaveScope_WhenTheirObjectCloses_ButStillClashInTheParent()
    {
        Assert.False(ReadClaims("""{"a":{"b":1},"a":2}"""));
        Assert.False(ReadClaims("""{"a":{"b":{"c":1}},"d":[{"e":1}],"d":3}"""));
        Assert.True(ReadClaims("""{"a":{"b":1},"b":2}"""));
        Assert.True(ReadClaims("""{"a":{"b":{"b":1},"c":1},"c":2}"""));
    }

    [Fact]
    public void Reader_Accepts_512MemberNames_AndRefuses513()
    {
        Assert.True(ReadClaims(Names(StrictJson.MaxNames)));
        Assert.False(ReadClaims(Names(StrictJson.MaxNames + 1)));
    }

    private static string Names(int count) =>
        "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"n{i}\":0")) + "}";

    private static bool ReadClaims(string json)
    {
        byte[] doc = Encoding.UTF8.GetBytes(json);
        ClaimSet claims = ClaimSet.Empty;
        int used = 0;
        return ClaimsReader.TryRead(doc, new byte[doc.Length], new byte[doc.Length], ref used, ref claims);
    }
}
