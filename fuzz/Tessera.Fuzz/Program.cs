// The fuzzing harness of Tessera (docs/fuzzing.md). Modes:
//   validate | jwk              under afl-fuzz (fuzz/run.sh): the SharpFuzz fork server runs the
//                               target on each input; without afl-fuzz, once on standard input.
//   repro TARGET FILE...        runs the target on each file, no afl-fuzz needed; prints the
//                               exception and stack trace of each finding; exit 1 if any.
//   explain FILE...             prints what the validate target's two validators answer for
//                               each token file (to check that a new seed reaches its step).
//   seed OUTDIR                 writes the seed corpus (OUTDIR/validate, OUTDIR/jwk).
// An exception that escapes a target is a finding: SharpFuzz reports it to afl-fuzz as a crash.
using SharpFuzz;

namespace Tessera.Fuzz;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is not [_])
        {
            // Outside the fork server, the instrumented Tessera.Core.dll (fuzz/run.sh) would
            // write its coverage through a null pointer: give it a scratch map instead.
            DetachCoverage();
        }

        switch (args)
        {
            case [string target] when Target(target) is { } run:
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    run(copy.ToArray());
                });
                return 0;
            case ["repro", string target, .. string[] files] when Target(target) is { } run && files.Length > 0:
                return Repro(run, files);
            case ["explain", .. string[] files] when files.Length > 0:
                foreach (string file in files)
                {
                    Console.WriteLine($"{Path.GetFileName(file)}: {ValidateTarget.Explain(File.ReadAllBytes(file))}");
                }

                return 0;
            case ["seed", string outDir]:
                SeedWriter.Write(outDir);
                return 0;
            default:
                Console.Error.WriteLine("usage: Tessera.Fuzz validate|jwk  (under afl-fuzz, or once on stdin)");
                Console.Error.WriteLine("       Tessera.Fuzz repro validate|jwk FILE...");
                Console.Error.WriteLine("       Tessera.Fuzz explain TOKENFILE...");
                Console.Error.WriteLine("       Tessera.Fuzz seed OUTDIR");
                return 2;
        }
    }

    private static unsafe void DetachCoverage() =>
        SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);

    private static Action<byte[]>? Target(string name) => name switch
    {
        "validate" => ValidateTarget.Run,
        "jwk" => JwkTarget.Run,
        _ => null,
    };

    private static int Repro(Action<byte[]> run, string[] files)
    {
        int findings = 0;
        foreach (string file in files)
        {
            try
            {
                run(File.ReadAllBytes(file));
                Console.WriteLine($"ok       {file}");
            }
#pragma warning disable CA1031 // Any exception is the finding being reproduced.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                findings++;
                Console.WriteLine($"FINDING  {file}");
                Console.WriteLine(ex.ToString());
            }
        }

        Console.WriteLine($"{files.Length - findings} ok, {findings} findings");
        return findings == 0 ? 0 : 1;
    }
}
