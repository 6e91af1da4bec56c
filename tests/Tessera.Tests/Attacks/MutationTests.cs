using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tessera.Algorithms;
using Tessera.Jose;
using Tessera.Tests.Support;
using Tessera.Validation;

namespace Tessera.Tests.Attacks;

/// <summary>
/// Random mutation of valid tokens: byte flips, character insert/delete/duplicate, segment swap
/// and splice, dot insert/remove, base64url substitution, truncation, concatenation, whitespace,
/// Unicode, and mutations of the decoded header, payload and signature bytes. Properties: nothing
/// escapes as an exception, and no mutant that differs from its original validates.
/// The seed is printed; TESSERA_MUTATION_SEED=N replays the same mutation sequence (keys and
/// ECDSA nonces are fresh each run, so a failure also prints the offending mutant itself).
/// </summary>
public sealed class MutationTests(ITestOutputHelper output)
{
    private const int UncachedMutants = 300_000;
    private const int CachedMutants = 60_000;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly string[] Odd =
    [
        " ", "\t", "\n", "\r", "\0", "=", "+", "/", ".", "%", "\"", "\\", "{", "}",
        "\u00e9", "\u00a0", "\u200b", "\ufeff", "\uff21", "\u0430", "\ud800", "\udc00", "\ud83d\ude00", "\uffff", "\u0085",
    ];

    // Weighted towards HS256, the cheapest to verify, so most mutants run the whole pipeline.
    private static readonly (string Alg, int Weight)[] Mix = [("HS256", 60), ("ES256", 15), ("EdDSA", 15), ("RS256", 10)];

    [Fact]
    public void Validate_NeverThrowsOrAccepts_RandomMutantsOfValidTokens()
    {
        int baseSeed = Seed();
        int seed = baseSeed;
        Corpus corpus = Corpus.Build(new Random(seed), cacheSize: 0);
        Stats stats = Run(corpus, new Random(seed ^ 0x5EED), UncachedMutants, revalidateEvery: 0);
        Report("cache off", baseSeed, seed, stats);
        Assert.True(stats.Problems.Count == 0, $"seed {seed}: " + string.Join("\n", stats.Problems));
        Assert.True(stats.Mutants >= 100_000, "too few mutants: " + stats.Mutants);
        AssertReachedEveryLayer(stats);
    }

    [Fact]
    public void Validate_WithCache_NeverAcceptsMutants_AndStillAcceptsOriginals()
    {
        int baseSeed = Seed();
        int seed = baseSeed + 1;
        Corpus corpus = Corpus.Build(new Random(seed), cacheSize: 10_000);
        foreach ((string token, TokenValidator validator) in corpus.Originals)
        {
            Assert.True(validator.Validate(token).IsValid, "an original did not validate (it should now be remembered)");
        }

        Stats stats = Run(corpus, new Random(seed ^ 0x5EED), CachedMutants, revalidateEvery: 97);
        Report("cache on", baseSeed, seed, stats);
        Assert.True(stats.Problems.Count == 0, $"seed {seed}: " + string.Join("\n", stats.Problems));
        Assert.True(stats.Revalidated > 0, "originals were not re-validated between mutants");
        AssertReachedEveryLayer(stats);
    }

    /// <summary>
    /// Header and payload bytes mutated and then genuinely re-signed, so the claims reader and every
    /// later step see fuzzed input. Nothing may throw, and an accepted token must be strict JSON
    /// by the BCL's own reader (duplicates refused, depth 32) with claims that agree with it.
    /// </summary>
    [Fact]
    public void Validate_ResignedMutants_NeverThrow_AndAcceptOnlyStrictJsonWithMatchingClaims()
    {
        int baseSeed = Seed();
        int seed = baseSeed + 2;
        var random = new Random(seed);
        JwsKey key = TestKeys.For("HS256");
        TokenValidator validator = Validators.For(key, new FakeClock(Tokens.Now), cacheSize: 0);
        Corpus corpus = Corpus.Build(new Random(seed), cacheSize: 0);
        string[] originals = [.. corpus.Originals.Select(o => o.Token).Where(t => validator.Validate(t).IsValid)];
        Assert.NotEmpty(originals);
        var byError = new Dictionary<ValidationError, int>();
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        const int count = 60_000;
        for (int n = 0; n < count; n++)
        {
            string[] parts = originals[random.Next(originals.Length)].Split('.');
            int segment = random.Next(5) == 0 ? 0 : 1;
            byte[] bytes = Base64Url.Decode(parts[segment])!;
            int operations = 1 + random.Next(4);
            for (int i = 0; i < operations; i++)
            {
                bytes = MutateBytes(bytes, random, json: true);
            }

            parts[segment] = Base64Url.Encode(bytes);
            string mutant = Tokens.SignEncoded(key, parts[0] + "." + parts[1]);
            ValidationResult result;
            try
            {
                result = validator.Validate(mutant);
            }
            catch (Exception ex)
            {
                problems.Add($"{ex.GetType().Name} ({ex.Message}) for {mutant}");
                continue;
            }

            byError[result.Error] = byError.GetValueOrDefault(result.Error) + 1;
            if (result.IsValid && StrictDisagreement(mutant, result.Claims!) is string why)
            {
                problems.Add($"accepted but {why}: {mutant}");
            }

            if (problems.Count >= 20)
            {
                break;
            }
        }

        string line = $"re-signed mutation run: seed {seed} (TESSERA_MUTATION_SEED={baseSeed} replays it), {count:N0} mutants, {clock.Elapsed.TotalSeconds:F1} s";
        output.WriteLine(line);
        Console.WriteLine(line);
        foreach ((ValidationError error, int n) in byError.OrderBy(p => p.Key))
        {
            output.WriteLine($"  {ValidationResult.CodeOf(error)}: {n:N0}");
        }

        Assert.True(problems.Count == 0, $"seed {seed}: " + string.Join("\n", problems));
        Assert.True(byError.GetValueOrDefault(ValidationError.None) > 0, "no re-signed mutant was accepted; the run only exercised refusals");
        Assert.True(byError.Keys.Count(e => e is not (ValidationError.None or ValidationError.Malformed)) >= 3, "re-signed mutants reached too few claim checks");
    }

    private static readonly System.Text.Json.JsonDocumentOptions StrictBcl = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 32,
        CommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Why an accepted token disagrees with System.Text.Json's strict reading, or null.</summary>
    private static string? StrictDisagreement(string token, TokenClaims claims)
    {
        string[] parts = token.Split('.');
        try
        {
            using var header = System.Text.Json.JsonDocument.Parse(Base64Url.Decode(parts[0])!, StrictBcl);
            using var payload = System.Text.Json.JsonDocument.Parse(Base64Url.Decode(parts[1])!, StrictBcl);
            System.Text.Json.JsonElement root = payload.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return "the payload is not an object";
            }

            if (root.GetProperty("sub").GetString() != claims.Subject || root.GetProperty("iss").GetString() != claims.Issuer
                || root.GetProperty("jti").GetString() != claims.JwtId)
            {
                return "sub, iss or jti differ from the BCL's reading";
            }

            if ((long)Math.Floor(root.GetProperty("exp").GetDouble()) != claims.ExpiresAt)
            {
                return "exp differs from the BCL's reading";
            }

            System.Text.Json.JsonElement aud = root.GetProperty("aud");
            string[] audiences = aud.ValueKind == System.Text.Json.JsonValueKind.String
                ? [aud.GetString()!]
                : [.. aud.EnumerateArray().Select(a => a.GetString()!)];
            return audiences.SequenceEqual(claims.Audiences) ? null : "aud differs from the BCL's reading";
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            return "the BCL's strict reader refuses it (" + ex.GetType().Name + ": " + ex.Message + ")";
        }
    }

    private static int Seed()
    {
        string? fixedSeed = Environment.GetEnvironmentVariable("TESSERA_MUTATION_SEED");
        return fixedSeed is not null ? int.Parse(fixedSeed, CultureInfo.InvariantCulture) : Random.Shared.Next();
    }

    private void Report(string run, int baseSeed, int seed, Stats stats)
    {
        string line = $"mutation run ({run}): seed {seed} (TESSERA_MUTATION_SEED={baseSeed} replays it), {stats.Mutants:N0} mutants, " +
            $"{stats.Discarded:N0} equal to an original discarded, {stats.Revalidated:N0} originals re-validated, {stats.Elapsed.TotalSeconds:F1} s";
        output.WriteLine(line);
        Console.WriteLine(line);
        foreach ((string alg, int n) in stats.ByAlgorithm.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {alg}: {n:N0} mutants");
        }

        foreach ((ValidationError error, int n) in stats.ByError.OrderBy(p => p.Key))
        {
            output.WriteLine($"  {ValidationResult.CodeOf(error)}: {n:N0}");
        }
    }

    /// <summary>The mutants must reach the parser, the key lookup and the signature check, not only step 1.</summary>
    private static void AssertReachedEveryLayer(Stats stats)
    {
        Assert.True(stats.ByError.GetValueOrDefault(ValidationError.Malformed) > 0, "no mutant was malformed");
        Assert.True(stats.ByError.GetValueOrDefault(ValidationError.InvalidSignature) > 0, "no mutant reached the signature check");
        foreach ((string alg, _) in Mix)
        {
            Assert.True(stats.SignatureChecked.GetValueOrDefault(alg) > 0, "no " + alg + " mutant reached the signature check");
        }
    }

    private static Stats Run(Corpus corpus, Random random, int count, int revalidateEvery)
    {
        var stats = new Stats();
        var clock = Stopwatch.StartNew();
        while (stats.Mutants < count)
        {
            (string original, TokenValidator validator, string alg) = corpus.Pick(random);
            if (revalidateEvery > 0 && stats.Mutants % revalidateEvery == 0)
            {
                stats.Revalidated++;
                ValidationResult again = validator.Validate(original);
                if (!again.IsValid)
                {
                    stats.Problems.Add($"original stopped validating ({again}): {original}");
                }
            }

            string mutant = original;
            int operations = 1 + random.Next(3);
            for (int i = 0; i < operations; i++)
            {
                mutant = Mutate(mutant, corpus, random);
            }

            // Splicing whole segments can rebuild another original; only new strings are mutants.
            if (mutant == original || corpus.IsOriginal(mutant))
            {
                stats.Discarded++;
                continue;
            }

            stats.Mutants++;
            stats.ByAlgorithm[alg] = stats.ByAlgorithm.GetValueOrDefault(alg) + 1;
            ValidationResult result;
            try
            {
                result = (stats.Mutants & 1) == 0 ? validator.Validate(mutant) : validator.Validate(mutant.AsSpan());
            }
            catch (Exception ex)
            {
                if (stats.Problems.Count < 20)
                {
                    stats.Problems.Add($"{ex.GetType().Name} ({ex.Message}) for {alg} mutant {Printable(mutant)} of {original}");
                }

                continue;
            }

            stats.ByError[result.Error] = stats.ByError.GetValueOrDefault(result.Error) + 1;
            if (result.Error is ValidationError.InvalidSignature or ValidationError.None || result.Claims is not null)
            {
                stats.SignatureChecked[alg] = stats.SignatureChecked.GetValueOrDefault(alg) + 1;
            }

            if (result.IsValid && stats.Problems.Count < 20)
            {
                stats.Problems.Add($"ACCEPTED {alg} mutant {Printable(mutant)} of {original}");
            }
        }

        stats.Elapsed = clock.Elapsed;
        return stats;
    }

    private static string Mutate(string token, Corpus corpus, Random r)
    {
        if (token.Length == 0)
        {
            return Odd[r.Next(Odd.Length)];
        }

        int at = r.Next(token.Length);
        switch (r.Next(16))
        {
            case 0: // flip one bit of one character (7-bit, sometimes 16-bit)
                return token[..at] + (char)(token[at] ^ (1 << r.Next(r.Next(4) == 0 ? 16 : 7))) + token[(at + 1)..];
            case 1: // insert a character
                return token[..at] + RandomChar(r) + token[at..];
            case 2: // delete a character
                return token.Remove(at, 1);
            case 3: // duplicate a character
                return token[..at] + token[at] + token[at..];
            case 4: // swap two segments
                return SwapSegments(token, r);
            case 5: // insert a dot
                return token.Insert(r.Next(token.Length + 1), ".");
            case 6: // remove a dot
                int dot = token.IndexOf('.', at);
                return dot < 0 ? token.Trim('.') : token.Remove(dot, 1);
            case 7: // base64url substitution
                return token[..at] + Alphabet[r.Next(64)] + token[(at + 1)..];
            case 8: // truncation, from either end
                return r.Next(2) == 0 ? token[..at] : token[at..];
            case 9: // concatenation with another token or segment
                string other = corpus.Any(r);
                return r.Next(3) switch
                {
                    0 => token + other,
                    1 => token + "." + other.Split('.')[r.Next(3)],
                    _ => token + "." + other,
                };
            case 10: // whitespace anywhere, including the ends
                string ws = " \t\r\n"[r.Next(4)].ToString();
                return r.Next(3) switch { 0 => ws + token, 1 => token + ws, _ => token.Insert(at, ws) };
            case 11: // Unicode in place of a character
                return token[..at] + Odd[14 + r.Next(Odd.Length - 14)] + token[(at + 1)..];
            case 12: // splice a segment from another valid token
                return Splice(token, corpus.Any(r), r);
            case 13: // flip bits in the decoded header or payload, re-encode canonically
            case 14:
                return MutateDecoded(token, r.Next(2), r, json: true);
            default: // flip bits in the decoded signature, or change its length, re-encode canonically
                return MutateDecoded(token, 2, r, json: false);
        }
    }

    private static string SwapSegments(string token, Random r)
    {
        string[] parts = token.Split('.');
        if (parts.Length < 2)
        {
            return token;
        }

        int i = r.Next(parts.Length);
        int j = r.Next(parts.Length);
        (parts[i], parts[j]) = (parts[j], parts[i]);
        return string.Join(".", parts);
    }

    private static string Splice(string token, string other, Random r)
    {
        string[] parts = token.Split('.');
        string[] donor = other.Split('.');
        if (parts.Length != 3 || donor.Length != 3)
        {
            return token;
        }

        int i = r.Next(3);
        parts[i] = donor[i];
        return string.Join(".", parts);
    }

    private static string MutateDecoded(string token, int segment, Random r, bool json)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3 || Base64Url.Decode(parts[segment]) is not byte[] bytes || bytes.Length == 0)
        {
            return token;
        }

        bytes = MutateBytes(bytes, r, json);
        parts[segment] = Base64Url.Encode(bytes);
        return string.Join(".", parts);
    }

    private static byte[] MutateBytes(byte[] bytes, Random r, bool json)
    {
        if (bytes.Length == 0)
        {
            return [(byte)r.Next(256)];
        }

        int at = r.Next(bytes.Length);
        switch (r.Next(json ? 5 : 4))
        {
            case 0:
                bytes[at] ^= (byte)(1 << r.Next(8));
                return bytes;
            case 1:
                return [.. bytes[..at], .. bytes[(at + 1)..]];
            case 2:
                return [.. bytes[..at], (byte)r.Next(256), .. bytes[at..]];
            case 3:
                bytes[at] = (byte)r.Next(256);
                return bytes;
            default: // a JSON-meaningful character in the decoded text
                byte[] choices = "{}[],:\"\\ 0123456789-.eE+tfnu\t\n"u8.ToArray();
                bytes[at] = choices[r.Next(choices.Length)];
                return bytes;
        }
    }

    private static string RandomChar(Random r) => r.Next(3) switch
    {
        0 => Alphabet[r.Next(64)].ToString(),
        1 => Odd[r.Next(Odd.Length)],
        _ => ((char)r.Next(0x20, 0x7F)).ToString(),
    };

    private static string Printable(string s)
    {
        var b = new StringBuilder();
        foreach (char c in s.Length > 400 ? s[..400] : s)
        {
            b.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return b.ToString();
    }

    private sealed class Stats
    {
        public int Mutants;
        public int Discarded;
        public int Revalidated;
        public TimeSpan Elapsed;
        public readonly List<string> Problems = [];
        public readonly Dictionary<ValidationError, int> ByError = [];
        public readonly Dictionary<string, int> ByAlgorithm = [];
        public readonly Dictionary<string, int> SignatureChecked = [];
    }

    /// <summary>Several valid tokens per algorithm, each with its validator, picked by weight.</summary>
    private sealed class Corpus
    {
        private readonly List<(string Token, TokenValidator Validator, string Alg)> _entries = [];
        private readonly int _total;
        private readonly HashSet<string> _originals;

        private Corpus(Random random, int cacheSize)
        {
            foreach ((string alg, int weight) in Mix)
            {
                JwsKey key = TestKeys.For(alg);
                TokenValidator validator = Validators.For(key, new FakeClock(Tokens.Now), cacheSize: cacheSize);
                foreach (string claims in ClaimVariants(random))
                {
                    string token = Tokens.Sign(key, Tokens.Header(key), claims);
                    for (int w = 0; w < weight; w++)
                    {
                        _entries.Add((token, validator, alg));
                    }
                }
            }

            _total = _entries.Count;
            _originals = new HashSet<string>(_entries.Select(e => e.Token), StringComparer.Ordinal);
        }

        public IEnumerable<(string Token, TokenValidator Validator)> Originals => _entries.Select(e => (e.Token, e.Validator)).Distinct();

        public static Corpus Build(Random random, int cacheSize)
        {
            var corpus = new Corpus(random, cacheSize);
            foreach ((string token, TokenValidator validator) in corpus.Originals)
            {
                ValidationResult r = Validators.For(validator.Keys, new FakeClock(Tokens.Now), cacheSize: 0).Validate(token);
                Assert.True(r.IsValid, $"corpus token does not validate ({r}): {token}");
            }

            return corpus;
        }

        public bool IsOriginal(string token) => _originals.Contains(token);

        public (string Token, TokenValidator Validator, string Alg) Pick(Random r) => _entries[r.Next(_total)];

        public string Any(Random r) => _entries[r.Next(_total)].Token;

        private static IEnumerable<string> ClaimVariants(Random r)
        {
            string Jti() => "\"jti\":\"" + r.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + "\"";
            const string iss = "\"iss\":\"https://auth.test\"";
            long now = Tokens.Now;
            yield return $"{{{iss},\"sub\":\"device-1\",\"aud\":\"api\",\"exp\":{now + 300},\"iat\":{now},{Jti()}}}";
            yield return $"{{{iss},\"sub\":\"device-2\",\"aud\":[\"other\",\"api\"],\"exp\":{now + 900},\"nbf\":{now},\"iat\":{now},{Jti()},\"client_id\":\"c-1\",\"scope\":\"read write\"}}";
            yield return $"{{{iss},\"sub\":\"d\\u00e9vice \\\"3\\\"\",\"aud\":\"api\",\"exp\":{now + 60}.5,\"iat\":{now},{Jti()},\"cnf\":{{\"jkt\":\"abc\"}},\"roles\":[\"a\",\"b\",{{\"c\":[1,2.5e3,null,true]}}]}}";
            yield return $"{{ {iss} , \"sub\" : \"m\u00e8ter-17\" , \"aud\" : \"api\" , \"exp\" : {now + 3600} , \"iat\" : {now} , {Jti()} }}";
            yield return $"{{{Jti()},\"iat\":{now - 10},\"exp\":{now + 20},\"aud\":[\"api\"],\"sub\":\"x\",{iss},\"empty\":{{}},\"list\":[]}}";
        }
    }
}
