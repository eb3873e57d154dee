using CsPyLive.Realtime;

namespace CsPyLive.Live;

/// <summary>
/// One reader's copy of the audio thread's meter windows (see <see cref="MeterTap"/>): the control thread offers each
/// window, the reader takes them on its own thread. A reader that falls behind loses windows (counted); nothing waits.
/// </summary>
public sealed class MeterFeed
{
    private readonly BoundedQueue<MeterWindow> windows = new(256);
    private long lost;

    /// <summary>Windows this reader did not take in time.</summary>
    public long Lost => Interlocked.Read(ref lost);

    /// <summary>The reader's thread: the next window, if there is one.</summary>
    public bool TryTake(out MeterWindow window) => windows.TryDequeue(out window);

    /// <summary>The control thread (<see cref="MeterTap.Pump"/>).</summary>
    internal void Offer(in MeterWindow window)
    {
        if (!windows.TryEnqueue(in window)) Interlocked.Increment(ref lost);
    }
}
