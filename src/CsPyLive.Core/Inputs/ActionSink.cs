using System.Diagnostics;
using CsPyLive.Csound;

namespace CsPyLive.Inputs;

/// <summary>
/// Where every input's actions go, and the one place that turns an input's idea of when into an engine frame.
/// </summary>
/// <remarks>
/// <para>One time base: engine frames. An input knows "now", "at this offset into the period being read" (a JACK
/// MIDI event), "at this time tag" (OSC) or "at this time of the piece" (a MIDI file, a scripted reload); the sink
/// says which frame that is, and the engine applies the action at the k-cycle holding it.</para>
/// <para>Threads: <see cref="AtOffset"/> on the performing thread, before the period is processed (where JACK hands
/// MIDI over); everything else from any thread. Allocation-free.</para>
/// </remarks>
public sealed class ActionSink(Engine engine)
{
    /// <summary>The frame that means "at the next k-cycle".</summary>
    public const long Now = 0;

    public double SampleRate => engine.SampleRate;

    /// <summary>
    /// The frame <paramref name="offset"/> frames into the period about to be processed (plus the engine's
    /// <see cref="Engine.InputDelayFrames"/>): so every event of a period sounds exactly one period after it was
    /// stamped, a constant latency. Performing thread, before the period.
    /// </summary>
    public long AtOffset(int offset) => engine.OutputFrame + offset + engine.InputDelayFrames;

    /// <summary>
    /// The frame for an OSC time tag: the frame the engine is producing now plus how far ahead the tag is;
    /// <see cref="Now"/> for "immediately" and past times. Any thread.
    /// </summary>
    public long AtTimeTag(double secondsAhead)
    {
        if (!(secondsAhead > 0)) return Now;
        return engine.FrameAt(Stopwatch.GetTimestamp()) + Math.Max(1, (long)Math.Round(secondsAhead * engine.SampleRate));
    }

    /// <summary>
    /// The first frame of the next <paramref name="quantize"/> boundary of <paramref name="clock"/>'s timeline at or
    /// after <paramref name="frame"/> (<see cref="Now"/>: now), and after the period being computed and the next, so
    /// that it is still ahead when the action is queued (as a quantized reload's). Any thread.
    /// </summary>
    public long Quantized(Sync.BeatClock? clock, Sync.Quantization quantize, long frame)
    {
        if (clock is null || quantize.IsNone) return frame;
        var soonest = engine.FramesPerformed + 2L * Math.Max(engine.PeriodFrames, engine.Ksmps);
        return clock.NextBoundaryFrame(quantize, Math.Max(frame, soonest));
    }

    /// <summary>Frames the engine has performed: an input that sends ahead (a file) sends from here on. Any thread.</summary>
    public long FramesPerformed => engine.FramesPerformed;

    /// <summary>The frame of a time in the piece (seconds from the start of the performance). Any thread.</summary>
    public long AtSeconds(double seconds) => (long)Math.Round(seconds * engine.SampleRate);

    /// <summary>Actions the engine can take now without dropping any: a sender that can wait (a file) waits. Any thread.</summary>
    public int Room => engine.ActionRoom;

    /// <summary>Queues an action at its frame. Any thread; false (and counted by the engine) if the queue is full.</summary>
    public bool Enqueue(in TimedAction action) => engine.Enqueue(action);

    /// <summary>The slot of a control channel, created if needed. Control threads; once per name.</summary>
    public int ChannelSlot(string name) => engine.ChannelSlot(name);
}
