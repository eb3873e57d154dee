using System.Diagnostics;

namespace CsPyLive.Csound;

/// <summary>
/// Where the engine's frames are in wall-clock time: the performing thread marks the first frame of each block it
/// starts and the <see cref="Stopwatch"/> time it started it; any thread can then tell which frame the engine is
/// producing at a given instant. One time base for everything that arrives with a time (OSC time tags, later clocks).
/// </summary>
/// <remarks>
/// A sequence lock: the writer makes the version odd, writes the pair, makes it even; a reader retries until it saw
/// the same even version before and after. The writer never waits, and readers are other threads, so a retry is rare.
/// A struct held in a field of <see cref="Engine"/> and used there in place, so the audio thread touches no extra object.
/// </remarks>
internal struct BlockClock
{
    private long version;
    private long frame;
    private long ticks;

    /// <summary>Performing thread, at the start of a block.</summary>
    public void Mark(long blockFrame, long timestamp)
    {
        Interlocked.Increment(ref version); // odd: a write is under way (a full fence: the pair is not written before it)
        Volatile.Write(ref frame, blockFrame);
        Volatile.Write(ref ticks, timestamp);
        Volatile.Write(ref version, version + 1);
    }

    /// <summary>
    /// The frame the engine is producing at <paramref name="timestamp"/>, extrapolated from the latest block at
    /// <paramref name="sampleRate"/>; false when no block has been marked yet. Any thread.
    /// </summary>
    public bool TryFrameAt(long timestamp, double sampleRate, out long frameAt)
    {
        var spinner = new SpinWait();
        while (true)
        {
            var v = Volatile.Read(ref version);
            if ((v & 1) == 0)
            {
                var f = Volatile.Read(ref frame);
                var t = Volatile.Read(ref ticks);
                if (Volatile.Read(ref version) == v)
                {
                    frameAt = v == 0 ? 0 : f + (long)Math.Round((timestamp - t) * sampleRate / Stopwatch.Frequency);
                    return v != 0;
                }
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
