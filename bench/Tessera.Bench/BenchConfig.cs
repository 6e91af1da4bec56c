// Shared BenchmarkDotNet settings: ratios against the raw primitive, allocations, and no EdDSA
// cells for the peers (neither Microsoft.IdentityModel 8.x nor jose-jwt 5.x implements EdDSA,
// so those rows are left out of the table rather than shown as failures).
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Running;

namespace Tessera.Bench;

public sealed class BenchConfig : ManualConfig
{
    /// <summary>Benchmark methods that call a peer library.</summary>
    public static readonly string[] PeerMethods = ["MsJsonWebTokenHandler", "JoseJwt"];

    public BenchConfig()
    {
        AddFilter(new SimpleFilter(HasImplementation));

        // On a shared machine the fastest iteration is the least disturbed one: show it.
        AddColumn(StatisticColumn.Min);
        WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
    }

    private static bool HasImplementation(BenchmarkCase benchmark) =>
        !(PeerMethods.Contains(benchmark.Descriptor.WorkloadMethod.Name)
          && benchmark.Parameters.Items.Any(p => p.Name == "Alg" && p.Value is BenchAlg.EdDSA));
}
