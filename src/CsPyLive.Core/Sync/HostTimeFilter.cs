namespace CsPyLive.Sync;

/// <summary>
/// Turns an engine frame into Link's clock without the jitter of the moment the callback ran: a straight line fitted
/// (least squares) through the last <see cref="Capacity"/> pairs of (period's first frame, clock at its callback),
/// as Link's own <c>HostTimeFilter</c> does for its audio examples. A callback woken 300 us late then no longer
/// moves the beat by 300 us; both peers on one JACK server see the same line. A pair more than
/// <see cref="ResetMicros"/> off the line (an xrun, a device restart, a stalled period) starts the line again.
/// </summary>
/// <remarks>The audio thread's alone: fixed arrays, no allocation after construction; O(<see cref="Capacity"/>) a period.</remarks>
public sealed class HostTimeFilter(double sampleRate)
{
    public const int Capacity = 128;
    public const long ResetMicros = 5_000;

    private readonly long[] frames = new long[Capacity];
    private readonly long[] micros = new long[Capacity];
    private readonly double microsPerFrame = 1_000_000.0 / sampleRate;
    private int count;
    private int next;

    /// <summary>Adds (<paramref name="frame"/>, <paramref name="clockMicros"/>) and returns the fitted clock at <paramref name="frame"/>.</summary>
    public long At(long frame, long clockMicros)
    {
        if (count > 0 && Math.Abs(Fit(frame) - clockMicros) > ResetMicros) count = 0;
        frames[next] = frame;
        micros[next] = clockMicros;
        next = (next + 1) % Capacity;
        if (count < Capacity) count++;
        return count < 8 ? clockMicros : (long)Math.Round(Fit(frame));
    }

    /// <summary>The line through the pairs held, at <paramref name="frame"/> (relative sums: no loss of precision over hours).</summary>
    private double Fit(long frame)
    {
        if (count == 1) return micros[(next + Capacity - 1) % Capacity] + (frame - frames[(next + Capacity - 1) % Capacity]) * microsPerFrame;
        var newest = (next + Capacity - 1) % Capacity;
        long x0 = frames[newest], y0 = micros[newest];
        var line = new LineFit();
        for (var i = 0; i < count; i++)
        {
            var j = (newest - i + Capacity) % Capacity;
            line.Add(frames[j] - x0, micros[j] - y0);
        }
        var slope = line.TrySlope(out var fitted) ? fitted : microsPerFrame;
        return y0 + line.InterceptFor(slope) + slope * (frame - x0);
    }
}
