namespace Tessera.Tests.Support;

/// <summary>A clock the test sets; time never moves unless the test moves it.</summary>
public sealed class FakeClock(long unixSeconds) : TimeProvider
{
    public long Now { get; set; } = unixSeconds;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Now);
}
