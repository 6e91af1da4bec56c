// Run: dotnet run -c Release --project bench/Tessera.Bench -- --filter '*' --job short --iterationCount 10
// (one class: --filter '*ValidateFirstSight*'; the interleaved overhead check: --overhead)
using BenchmarkDotNet.Running;
using Tessera.Bench;

if (args is ["--overhead"])
{
    Overhead.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Overhead).Assembly).Run(args);
