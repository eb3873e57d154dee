using System.Diagnostics;
using CsPyLive.Realtime;

namespace CsPyLive.Tests.Realtime;

public sealed class DurationHistogramTests
{
    private static long Ticks(double microseconds) => (long)Math.Round(microseconds * Stopwatch.Frequency / 1e6);

    [Fact]
    public void Percentiles_and_max_come_from_what_was_recorded()
    {
        var h = new DurationHistogram();
        for (var i = 0; i < 98; i++) h.RecordTicks(Ticks(150.4)); // 98 ordinary callbacks near 150 us
        h.RecordTicks(Ticks(2_345));                                // one slow one in the 10 us buckets
        h.RecordTicks(Ticks(250_000));                              // one beyond the range: kept in the last bucket
        Assert.Equal(100, h.Count);
        Assert.Equal(151, h.Percentile(0.50));  // upper edge of the 150 us bucket
        Assert.Equal(151, h.Percentile(0.98));
        Assert.Equal(2_350, h.Percentile(0.99));
        Assert.Equal(250_000, h.MaxMicroseconds);
    }

    [Fact]
    public void An_empty_histogram_reports_zero_and_negative_durations_count_as_zero()
    {
        var h = new DurationHistogram();
        Assert.Equal(0, h.Percentile(0.99));
        h.RecordTicks(-5);
        Assert.Equal(1, h.Percentile(1.0));
        Assert.Equal(0, h.MaxMicroseconds);
    }

    [Fact]
    public void Recording_allocates_nothing()
    {
        var h = new DurationHistogram();
        h.RecordTicks(Ticks(10));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++) h.RecordTicks(Ticks(i % 5000));
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
