// Run: dotnet run -c Release --project bench/Tessera.Bench -- --filter '*' --job short --iterationCount 10
// (one class: --filter '*ValidateFirstSight*'; the interleaved overhead check: --overhead;
// the revocation mirror's memory for 1,000,000 jtis: --mirror-memory)
using BenchmarkDotNet.Running;
using Tessera.Bench;

if (args is ["--mirror-memory"])
{
    MirrorMemory.Run();
    return;
}

if (args is ["--overhead"])
{
    Overhead.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Overhead).Assembly).Run(args);
