using CsPyLive.Sync;

namespace CsPyLive.Tests.Sync;

public sealed class HostTimeFilterTests
{
    [Fact]
    public void Jittered_callback_times_give_the_line_of_the_frames_and_a_jump_starts_a_new_line()
    {
        var filter = new HostTimeFilter(48000);
        var random = new Random(7);
        const long start = 1_000_000_000;
        var worst = 0.0;
        for (var p = 0; p < 2000; p++)
        {
            var frame = p * 256L;
            var ideal = start + frame * 1_000_000.0 / 48000;
            var woken = (long)ideal + random.Next(0, 600); // the callback runs up to 0.6 ms late (raw: 300 us either side of the mean)
            var fitted = filter.At(frame, woken);
            if (p > 200) worst = Math.Max(worst, Math.Abs(fitted - ideal - 300)); // the mean lateness is a constant offset
        }
        Assert.True(worst < 150, $"fitted times stray {worst:F0} us from the line");
        // An xrun: the clock jumps 50 ms ahead of the frames; the filter follows at once instead of averaging it in.
        var after = filter.At(2000 * 256L, start + (long)(2000 * 256 * 1_000_000.0 / 48000) + 50_000);
        Assert.InRange(after - (start + 2000 * 256 * 1_000_000.0 / 48000), 49_000, 51_000);
    }
}
