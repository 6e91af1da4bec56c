using System.Diagnostics;
using Tessera.Validation;

namespace Tessera.Tests.Attacks;

/// <summary>The whole catalogue, section by section.</summary>
internal static partial class AttackCatalog
{
    private static readonly Lazy<IReadOnlyList<AttackRow>> AllRows = new(() =>
        [.. SectionA(), .. SectionB(), .. SectionC(), .. SectionD(), .. SectionE(), .. SectionF(), .. SectionGH(), .. SectionI()]);

    public static IReadOnlyList<AttackRow> Rows => AllRows.Value;

    public static AttackRow Find(string displayName) => Rows.Single(r => r.DisplayName == displayName);
}

/// <summary>
/// One table-driven suite over docs/ATTACKS.md: every row builds its concrete tokens with
/// real keys and asserts the exact docs/SPEC.md §2 code (or a KeyException at load, or a structural
/// property where no single token can show it). Rows A–H must be refused; section I accepted.
/// </summary>
public sealed class AttackTableTests(ITestOutputHelper output)
{
    public static TheoryData<string> RefusalRows => Names(r => r.Id[0] != 'I');

    public static TheoryData<string> PositiveControlRows => Names(r => r.Id[0] == 'I');

    [Theory]
    [MemberData(nameof(RefusalRows))]
    public void Validate_RefusesAttack_WithTheSpecCode(string row) => RunRow(row);

    [Theory]
    [MemberData(nameof(PositiveControlRows))]
    public void Validate_AcceptsPositiveControl(string row) => RunRow(row);

    [Fact]
    public void Catalogue_HasOneRowPerAttackId()
    {
        string[] expected =
        [
            .. Ids('A', 30), .. Ids('B', 15), .. Ids('C', 18), .. Ids('D', 27), .. Ids('E', 19), .. Ids('F', 7),
            .. Ids('G', 5), "H01", "H04", .. Ids('I', 8),
        ];
        Assert.Equal(expected, AttackCatalog.Rows.Select(r => r.Id));
        foreach (IGrouping<char, AttackRow> section in AttackCatalog.Rows.GroupBy(r => r.Id[0]))
        {
            output.WriteLine($"section {section.Key}: {section.Count()} rows");
        }
    }

    [Fact]
    public void Validate_NeverThrows_OnAnyAttackRow()
    {
        var failures = new List<string>();
        int tokens = 0;
        foreach (AttackRow row in AttackCatalog.Rows)
        {
            foreach (AttackCase c in row.Build(new RowContext(output)))
            {
                switch (c)
                {
                    case TokenCase t:
                        tokens++;
                        Try(failures, row, t.Label, "Before", () => t.Before?.Invoke());
                        Try(failures, row, t.Label, "Validate(string)", () => t.Validator.Validate(t.Token));
                        Try(failures, row, t.Label, "Validate(span)", () => t.Validator.Validate(t.Token.AsSpan()));
                        break;
                    case JwsLayerCase j:
                        tokens++;
                        Try(failures, row, j.Label, "VerifyJwsOnly", () => j.Validator.VerifyJwsOnly(j.Token));
                        Try(failures, row, j.Label, "Validate(string)", () => j.Validator.Validate(j.Token));
                        break;
                }
            }
        }

        output.WriteLine($"{tokens} attack tokens validated without an exception");
        Assert.True(tokens > 1000, "too few tokens: " + tokens);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void ValidationDetail_NeverEchoesTokenText_OnAnyAttackRow()
    {
        var failures = new List<string>();
        int withDetail = 0;
        foreach (AttackRow row in AttackCatalog.Rows)
        {
            foreach (AttackCase c in row.Build(new RowContext(output)))
            {
                if (c is not TokenCase t)
                {
                    continue;
                }

                ValidationResult result;
                try
                {
                    t.Before?.Invoke();
                    result = t.Validator.Validate(t.Token);
                }
                catch (Exception)
                {
                    continue; // reported by Validate_NeverThrows_OnAnyAttackRow
                }

                if (result.Detail is not null)
                {
                    withDetail++;
                }

                if (AttackRunner.EchoOf(t.Token, result) is string echo)
                {
                    failures.Add($"{row.Id} [{t.Label}]: {echo}");
                }

                if (t.Token is { Length: >= AttackRunner.MinEchoLength } token && result.ToString().Contains(token, StringComparison.Ordinal))
                {
                    failures.Add($"{row.Id} [{t.Label}]: ToString() contains the token");
                }
            }
        }

        output.WriteLine($"{withDetail} refusals carried a detail; none echoed the token or a segment of {AttackRunner.MinEchoLength}+ characters");
        Assert.True(withDetail > 0, "no result carried a detail, so nothing was checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private void RunRow(string displayName)
    {
        AttackRow row = AttackCatalog.Find(displayName);
        output.WriteLine($"{row.DisplayName}: {row.Asserts}");
        var clock = Stopwatch.StartNew();
        AttackRunner.Outcome outcome = AttackRunner.Run(row, output);
        output.WriteLine($"{outcome.Cases} cases in {clock.ElapsedMilliseconds} ms");
        foreach (string failure in outcome.Failures)
        {
            output.WriteLine("FAIL " + failure);
        }

        Assert.True(outcome.Failures.Count == 0, $"{outcome.Failures.Count} of {outcome.Cases} cases failed:\n" + string.Join("\n", outcome.Failures));
    }

    private static void Try(List<string> failures, AttackRow row, string label, string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            failures.Add($"{row.Id} [{label}] {what} threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static IEnumerable<string> Ids(char section, int count) =>
        Enumerable.Range(1, count).Select(i => $"{section}{i:00}");

    private static TheoryData<string> Names(Func<AttackRow, bool> which)
    {
        var data = new TheoryData<string>();
        foreach (AttackRow row in AttackCatalog.Rows.Where(which))
        {
            data.Add(row.DisplayName);
        }

        return data;
    }
}
