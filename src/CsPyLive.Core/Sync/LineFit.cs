namespace CsPyLive.Sync;

/// <summary>
/// A least-squares line y = intercept + slope · x, accumulated point by point. Callers give x and y relative to a
/// point of their own (the newest), so the sums stay small and exact over hours of frames and microseconds. The
/// clock's two smoothers use it: Link's host time over callbacks, MIDI clock's ticks over frames. A value type:
/// nothing is allocated on the audio thread.
/// </summary>
internal struct LineFit
{
    private double n, sx, sy, sxx, sxy;

    public void Add(double x, double y)
    {
        n++;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }

    /// <summary>The slope, if the points are spread along x (two or more at different x); else false.</summary>
    public readonly bool TrySlope(out double slope)
    {
        var d = n * sxx - sx * sx;
        slope = d > 0 ? (n * sxy - sx * sy) / d : 0;
        return d > 0;
    }

    /// <summary>The intercept of the best line with <paramref name="slope"/> (the fitted one, or one imposed).</summary>
    public readonly double InterceptFor(double slope) => (sy - slope * sx) / n;
}
