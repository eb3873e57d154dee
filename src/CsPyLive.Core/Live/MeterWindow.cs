using System.Runtime.CompilerServices;

namespace CsPyLive.Live;

/// <summary>
/// What the audio thread measured over one short window of output (about 20 ms): per channel the peak, the sum of
/// squares (for RMS) and the samples at or past full scale; the callbacks and their time. An unmanaged record, so a
/// window crosses to the dashboard through a <see cref="Realtime.BoundedQueue{T}"/> with nothing allocated.
/// </summary>
public struct MeterWindow
{
    /// <summary>Channels metered at most; more are played but not metered.</summary>
    public const int MaxChannels = 16;

    public int Channels;
    public int Frames;
    public int Callbacks;
    /// <summary>Stopwatch ticks spent in callbacks in the window, and the longest one.</summary>
    public long BusyTicks;
    public long LongestTicks;
    /// <summary>The period the backend last asked for, in ticks of real time (frames / sr).</summary>
    public long PeriodTicks;
    public ChannelValues Peak;
    public ChannelValues SumOfSquares;
    public ChannelCounts Clips;

    [InlineArray(MaxChannels)]
    public struct ChannelValues { private double first; }

    [InlineArray(MaxChannels)]
    public struct ChannelCounts { private int first; }
}
