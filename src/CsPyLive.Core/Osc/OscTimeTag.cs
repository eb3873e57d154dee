namespace CsPyLive.Osc;

/// <summary>
/// OSC time tags: 64-bit NTP time (seconds since 1900-01-01 UTC in the high 32 bits, a binary fraction in the low 32).
/// The value 1 means "immediately".
/// </summary>
public static class OscTimeTag
{
    public const ulong Immediately = 1;

    private static readonly long EpochTicks = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>The time tag of a UTC instant. Allocation-free.</summary>
    public static ulong FromDateTime(DateTime utc)
    {
        var ticks = (ulong)(utc.Ticks - EpochTicks);
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var fraction = (ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        return seconds << 32 | fraction;
    }

    public static ulong Now => FromDateTime(DateTime.UtcNow);

    /// <summary>Seconds from <paramref name="from"/> to <paramref name="to"/> (negative when <paramref name="to"/> is earlier).</summary>
    public static double SecondsBetween(ulong from, ulong to) => (long)(to - from) / 4294967296.0;

    /// <summary><paramref name="tag"/> moved by <paramref name="seconds"/>.</summary>
    public static ulong Add(ulong tag, double seconds) => tag + (ulong)(long)Math.Round(seconds * 4294967296.0);
}
