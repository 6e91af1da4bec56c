// Run: dotnet run -c Release --project bench/Tessera.Bench -- --filter '*' --job short --iterationCount 10
// (one class: --filter '*ValidateFirstSight*'; the interleaved overhead check: --overhead;
// the revocation mirror's memory for 1,000,000 jtis: --mirror-memory)
using BenchmarkDotNet.Running;
using Tessera.Bench;

if (args is ["--follow", string followUrl, string followSeconds])
{
    SyncCpu.Follow(followUrl, int.Parse(followSeconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["--flood", string floodUrl, string rate, string floodSeconds])
{
    SyncCpu.Flood(floodUrl, int.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), int.Parse(floodSeconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

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
