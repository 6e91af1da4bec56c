using Tessera.Algorithms;

namespace Tessera.Tests.Support;

/// <summary>One key per algorithm, made once per test run (RSA generation is slow).</summary>
public static class TestKeys
{
    private static readonly Lazy<Dictionary<string, JwsKey>> Keys = new(() =>
        JwsAlgorithm.All.ToDictionary(a => a.Name, a => JwsKey.Generate(a, 2048)));

    public static JwsKey For(JwsAlgorithm algorithm) => Keys.Value[algorithm.Name];

    public static JwsKey For(string algorithm) => Keys.Value[algorithm];

    /// <summary>Algorithm names, for [MemberData].</summary>
    public static TheoryData<string> AllAlgorithms
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (JwsAlgorithm a in JwsAlgorithm.All)
            {
                data.Add(a.Name);
            }

            return data;
        }
    }
}
