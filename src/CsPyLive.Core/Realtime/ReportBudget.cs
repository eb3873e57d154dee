using System.Diagnostics;

namespace CsPyLive.Realtime;

/// <summary>
/// At most so many reports a second, for one thread that reports errors as they happen (the performing thread's
/// Python tracebacks): what goes over is counted, and the count is handed to the next report allowed, to say.
/// Allocation-free; one thread at a time.
/// </summary>
public sealed class ReportBudget(int perSecond)
{
    private long windowStart;
    private int used;
    private long overBudget;

    /// <summary>
    /// True when one more report fits this second; then <paramref name="notReported"/> is how many were held back
    /// since the last report allowed (to say first), else 0.
    /// </summary>
    public bool TryTake(out long notReported)
    {
        notReported = 0;
        var now = Stopwatch.GetTimestamp();
        if (now - windowStart >= Stopwatch.Frequency)
        {
            windowStart = now;
            used = 0;
        }
        if (used == perSecond)
        {
            overBudget++;
            return false;
        }
        used++;
        notReported = overBudget;
        overBudget = 0;
        return true;
    }
}
