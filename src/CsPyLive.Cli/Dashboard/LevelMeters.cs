using CsPyLive.Live;

namespace CsPyLive.Cli.Dashboard;

/// <summary>
/// Turns the audio thread's 20 ms windows (<see cref="OutputMeters"/>, through the show's <see cref="MeterFeed"/>) into what a performer reads: per channel the
/// peak and RMS since the last frame, a peak held for 2 s, the clips so far; and the DSP load (callback time over
/// real time) as mean and peak over the last second. The dashboard's thread only; fixed arrays, no allocation.
/// </summary>
internal sealed class LevelMeters(int sampleRate)
{
    private const int SecondOfWindows = 50;
    private readonly double[] peak = new double[MeterWindow.MaxChannels];
    private readonly double[] rms = new double[MeterWindow.MaxChannels];
    private readonly double[] held = new double[MeterWindow.MaxChannels];
    private readonly long[] heldAt = new long[MeterWindow.MaxChannels];
    private readonly long[] clips = new long[MeterWindow.MaxChannels];
    private readonly double[] busy = new double[SecondOfWindows];
    private readonly double[] real = new double[SecondOfWindows];
    private readonly double[] longest = new double[SecondOfWindows];
    private int loadNext;
    private long frames;

    public int Channels { get; private set; }
    public double Peak(int c) => peak[c];
    public double Rms(int c) => rms[c];
    public double Held(int c) => held[c];
    public long Clips(int c) => clips[c];
    public long TotalClips { get; private set; }

    /// <summary>Callback time over real time in the last second, as a fraction.</summary>
    public double LoadMean { get; private set; }
    /// <summary>The longest callback in the last second over its period, as a fraction.</summary>
    public double LoadPeak { get; private set; }

    /// <summary>Takes the windows the audio thread finished; keeps the last values when there is none (paused).</summary>
    public void Update(MeterFeed meters)
    {
        var took = 0;
        Span<double> sums = stackalloc double[MeterWindow.MaxChannels];
        Span<double> peaks = stackalloc double[MeterWindow.MaxChannels];
        var windowFrames = 0;
        while (meters.TryTake(out var w))
        {
            took++;
            Channels = w.Channels;
            windowFrames += w.Frames;
            frames += w.Frames;
            for (var c = 0; c < w.Channels; c++)
            {
                peaks[c] = Math.Max(peaks[c], w.Peak[c]);
                sums[c] += w.SumOfSquares[c];
                clips[c] += w.Clips[c];
                TotalClips += w.Clips[c];
            }
            busy[loadNext] = w.BusyTicks;
            real[loadNext] = OutputMeters.TicksOf(w.Frames, sampleRate);
            longest[loadNext] = w.PeriodTicks > 0 ? (double)w.LongestTicks / w.PeriodTicks : 0;
            loadNext = (loadNext + 1) % SecondOfWindows;
        }
        if (took == 0) return;
        var now = frames;
        for (var c = 0; c < Channels; c++)
        {
            peak[c] = peaks[c];
            rms[c] = Math.Sqrt(sums[c] / windowFrames);
            if (peaks[c] >= held[c] || now - heldAt[c] > 2L * sampleRate)
            {
                held[c] = peaks[c];
                heldAt[c] = now;
            }
        }
        double b = 0, r = 0, l = 0;
        for (var i = 0; i < SecondOfWindows; i++)
        {
            b += busy[i];
            r += real[i];
            l = Math.Max(l, longest[i]);
        }
        LoadMean = r > 0 ? b / r : 0;
        LoadPeak = l;
    }
}
