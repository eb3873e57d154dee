using System.Diagnostics;
using CsPyLive.Realtime;

namespace CsPyLive.Live;

/// <summary>
/// Levels and load, published by the audio thread for a live view: each callback adds its output and its time to the
/// current <see cref="MeterWindow"/>; every ~20 ms of frames the window goes into a lock-free queue and a new one
/// starts. The one reader (<see cref="MeterTap"/>, on the show's control thread) takes them and fans them out to the
/// timeline and the dashboard. Nothing is allocated or locked on the audio thread, and a reader that falls behind only
/// loses windows (counted), never delays a callback.
/// </summary>
public sealed class OutputMeters(int sampleRate)
{
    private readonly BoundedQueue<MeterWindow> windows = new(256);
    private readonly int windowFrames = Math.Max(1, sampleRate / 50);
    private MeterWindow current;
    private long lost;

    /// <summary>Windows the reader did not take in time.</summary>
    public long Lost => Interlocked.Read(ref lost);

    /// <summary>The audio thread, after a callback filled <paramref name="interleaved"/>.</summary>
    public void Measure(ReadOnlySpan<float> interleaved, int channels, int frames, long callbackTicks, long periodTicks)
    {
        ref var w = ref current;
        var metered = Math.Min(channels, MeterWindow.MaxChannels);
        w.Channels = metered;
        for (var c = 0; c < metered; c++)
        {
            double peak = w.Peak[c], sum = w.SumOfSquares[c];
            var clips = 0;
            for (var i = c; i < frames * channels; i += channels)
            {
                double x = interleaved[i];
                var a = Math.Abs(x);
                if (a > peak) peak = a;
                if (a >= 1.0) clips++;
                sum += x * x;
            }
            w.Peak[c] = peak;
            w.SumOfSquares[c] = sum;
            w.Clips[c] += clips;
        }
        w.Frames += frames;
        w.Callbacks++;
        w.BusyTicks += callbackTicks;
        if (callbackTicks > w.LongestTicks) w.LongestTicks = callbackTicks;
        w.PeriodTicks = periodTicks;
        if (w.Frames < windowFrames) return;
        if (!windows.TryEnqueue(in w)) Interlocked.Increment(ref lost);
        w = default;
    }

    /// <summary>The reader's thread: the next finished window, if there is one.</summary>
    public bool TryTake(out MeterWindow window) => windows.TryDequeue(out window);

    /// <summary>dBFS of a linear level (−∞ for silence).</summary>
    public static double Decibels(double level) => level > 0 ? 20 * Math.Log10(level) : double.NegativeInfinity;

    /// <summary>Ticks of real time in <paramref name="frames"/> frames.</summary>
    public static long TicksOf(int frames, int sampleRate) => Stopwatch.Frequency * frames / sampleRate;
}
