// Run: dotnet run -c Release --project bench/Tessera.Bench -- --overhead
//
// Not a BenchmarkDotNet suite: a quick interleaved Stopwatch loop for a noisy shared machine.
// BenchmarkDotNet measures one benchmark after another, so when the load changes between two
// rows their ratio moves with it. Here every round runs each operation for a few milliseconds,
// one after the other, and the ratio is taken inside the round; the median over rounds is what
// drifting load disturbs least. It also prints bytes allocated per call and a few parts of the
// Tessera paths (HMAC one-shot vs a reused HMAC, cache-key hashing), to say where time goes.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Tessera.Validation;

namespace Tessera.Bench;

internal static class Overhead
{
    private const int Rounds = 31;
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(4);
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(250);
    private static bool _print;

    public static void Run()
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}; {Rounds} interleaved rounds");

        // The first group in a fresh process measured 2-5x slow despite each operation's own
        // warm-up (cause not pinned down: JIT tiering or GC budgets still settling), so one
        // unprinted pass goes first.
        _print = false;
        Pass(BenchAlg.HS256);
        _print = true;
        foreach (BenchAlg alg in Enum.GetValues<BenchAlg>())
        {
            Pass(alg);
        }
    }

    private static void Pass(BenchAlg alg)
    {
        using var f = new Fixture(alg);
        TokenValidator firstSight = f.Validator(cacheSize: 0);
        TokenValidator cached = f.Validator(cacheSize: 10_000);
        string token = f.Token;
        byte[] input = f.SigningInput;
        byte[] signature = f.Signature;
        byte[] destination = new byte[signature.Length];
        Checks.Require(cached.Validate(token), f);

        Say("");
        Say($"== {alg} (token {token.Length} chars)");
        TokenClaims claims = cached.Validate(token).Claims!;
        Say(
            $"  claims view: payload {claims.Utf8Json.Length} B copied into its buffer; ClaimSet {Unsafe.SizeOf<ClaimSet>()} B inline in the TokenClaims object");
        Compare(
            ("raw verify", () => f.RawVerify(input, signature)),
            ("Tessera first sight", () => firstSight.Validate(token).IsValid),
            ("Tessera repeat", () => cached.Validate(token).IsValid));
        Compare(
            ("raw sign", () => f.RawSign(input, destination) > 0),
            ("Tessera issue", () => f.TesseraIssuer.Issue(f.SigningKey, Fixture.Request).Token.Length > 0));

        // Steps 1-4 alone and the key's own verify, to split the first-sight overhead.
        Compare(
            ("raw verify", () => f.RawVerify(input, signature)),
            ("JwsKey.Verify (Tessera key)", () => f.VerifyingKey.Verify(input, signature)),
            ("VerifyJwsOnly (steps 1-4)", () => firstSight.VerifyJwsOnly(token) == ValidationError.None),
            ("Tessera first sight (1-7)", () => firstSight.Validate(token).IsValid));

        if (alg == BenchAlg.HS256)
        {
            // The parts of a first sight that are not the signature (same token, same buffers).
            int dot1 = token.IndexOf('.', StringComparison.Ordinal);
            int dot2 = token.LastIndexOf('.');
            byte[] headerJson = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, dot1));
            byte[] payloadJson = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot1 + 1, dot2 - dot1 - 1));
            byte[] asciiToken = Encoding.ASCII.GetBytes(token);
            byte[] scratch = new byte[token.Length * 4];
            byte[] names = new byte[payloadJson.Length];
            byte[] arena = new byte[token.Length * 2];
            Compare(
                ("Tessera first sight (1-7)", () => firstSight.Validate(token).IsValid),
                ("base64url decode, 3 segments", () =>
                    Jose.Base64Url.TryDecode(asciiToken.AsSpan(0, dot1), scratch, out _)
                    && Jose.Base64Url.TryDecode(asciiToken.AsSpan(dot1 + 1, dot2 - dot1 - 1), scratch, out _)
                    && Jose.Base64Url.TryDecode(asciiToken.AsSpan(dot2 + 1), scratch, out _)),
                ("JoseHeader.TryRead (strict JSON)", () => Jose.JoseHeader.TryRead(headerJson, names, arena, out _)),
                ("ClaimsReader.TryRead (strict)", () =>
                {
                    ClaimSet set = ClaimSet.Empty;
                    int used = 0;
                    return ClaimsReader.TryRead(payloadJson, names, arena, ref used, ref set);
                }),
                ("KeySet.TryFind(kid)", () => firstSight.Keys.TryFind(f.SigningKey.KeyId, out _)),
                ("stackalloc int[512] (zeroed)", () => Zeroed() != 1));

            // Where an HMAC first sight goes: the one-shot HMAC builds a new OpenSSL MAC
            // context per call; a reused one keeps the keyed state.
            using var reused = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, f.Secret);
            byte[] mac = new byte[32];
            byte[] ascii = new byte[token.Length];
            byte[] pool = new byte[4096];
            int drawn = 0;
            Compare(
                ("HMACSHA256.HashData one-shot", () => HMACSHA256.HashData(f.Secret, input, mac) == 32),
                ("IncrementalHash HMAC reused", () =>
                {
                    reused.AppendData(input);
                    return reused.TryGetHashAndReset(mac, out _);
                }
            ),
                ("SHA256.HashData (no key)", () => SHA256.HashData(input, mac) == 32),
                ("Ascii.FromUtf16(token)", () => Encoding.ASCII.GetBytes(token, ascii) > 0),
                ("TimeProvider.System.GetUtcNow", () => TimeProvider.System.GetUtcNow().Ticks > 0),
                ("RandomNumberGenerator.Fill(16)", () =>
                {
                    RandomNumberGenerator.Fill(mac.AsSpan(0, 16));
                    return true;
                }
            ),
                ("Fill(4096), per 16 B drawn", () =>
                {
                    if (++drawn == 256)
                    {
                        RandomNumberGenerator.Fill(pool);
                        drawn = 0;
                    }

                    return true;
                }
            ));
        }

        // The repeat path first finds the token in a dictionary keyed by the whole string:
        // the hash reads every character, so its cost grows with the signature size.
        string copy = new(token.AsSpan());
        Compare(
            ("string.GetHashCode(token)", () => string.GetHashCode(token.AsSpan()) != 1),
            ("GetHashCode(last 64 chars)", () => string.GetHashCode(token.AsSpan(token.Length - 64)) != 1),
            ("token equals (ordinal)", () => token.AsSpan().SequenceEqual(copy)));
    }

    private static void Compare(params (string Name, Func<bool> Op)[] ops)
    {
        int[] perBatch = new int[ops.Length];
        for (int i = 0; i < ops.Length; i++)
        {
            perBatch[i] = Calibrate(ops[i].Op);
        }

        double[][] ns = new double[ops.Length][];
        double[][] ratio = new double[ops.Length][];
        long[] bytes = new long[ops.Length];
        for (int i = 0; i < ops.Length; i++)
        {
            ns[i] = new double[Rounds];
            ratio[i] = new double[Rounds];
        }

        for (int r = 0; r < Rounds; r++)
        {
            for (int i = 0; i < ops.Length; i++)
            {
                (ns[i][r], bytes[i]) = Time(ops[i].Op, perBatch[i]);
                ratio[i][r] = ns[i][r] / ns[0][r];
            }
        }

        // The fastest round is the one the other processes disturbed least: on a shared machine
        // min/min is the steadier ratio; the median of in-round ratios is printed beside it.
        for (int i = 0; i < ops.Length; i++)
        {
            Say(
                $"  {ops[i].Name,-32} min {ns[i].Min(),12:N1} ns  median {Median(ns[i]),12:N1} ns  ratio min/min {ns[i].Min() / ns[0].Min(),6:N3}  median in-round {Median(ratio[i]),6:N3}  {bytes[i],5} B/op");
        }
    }

    private static int Calibrate(Func<bool> op)
    {
        // Warm up long enough for tiered JIT to promote the hot path (it waits while new
        // methods keep being compiled, and every group brings new ones).
        long warm = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warm) < Warmup)
        {
            op();
        }

        int n = 1;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                op();
            }

            if (Stopwatch.GetElapsedTime(start) >= Batch)
            {
                return n;
            }

            n *= 2;
        }
    }

    private static (double Ns, long Bytes) Time(Func<bool> op, int n)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        bool all = true;
        for (int i = 0; i < n; i++)
        {
            all &= op();
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        long perOp = (GC.GetAllocatedBytesForCurrentThread() - allocated) / n;
        if (!all)
        {
            throw new InvalidOperationException("An operation under measurement failed");
        }

        return (elapsed.TotalNanoseconds / n, perOp);
    }

    // StrictJson takes a 512-int scratch; without SkipLocalsInit it is zeroed on every document.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Zeroed()
    {
        Span<int> ends = stackalloc int[Jose.StrictJson.MaxNames];
        return ends[^1];
    }

    private static void Say(string line)
    {
        if (_print)
        {
            Console.WriteLine(line);
        }
    }

    private static double Median(double[] values) => Percentile(values, 0.5);

    private static double Percentile(double[] values, double p)
    {
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Round(p * (sorted.Length - 1))];
    }
}
