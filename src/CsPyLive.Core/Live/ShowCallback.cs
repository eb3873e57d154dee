using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using CsPyLive.Audio;
using CsPyLive.Csound;
using CsPyLive.Inputs;
using CsPyLive.Realtime;

namespace CsPyLive.Live;

/// <summary>
/// A show's audio callback: the engine performs on the backend's audio thread, one call per period, with no
/// buffering in between; the recorder gets a copy; the callback's time goes into a histogram, and its timestamps are
/// what reload and the watchdog read (<see cref="ICallbackGap"/>).
/// </summary>
/// <remarks>
/// <para><see cref="Process"/> is the audio thread's, allocation-free. <see cref="AboutToStart"/> (control thread)
/// compiles what a real-time audio thread will run (<see cref="RealtimeCode"/>), takes the observers the show has
/// by then (the watchdog), and after a device restart makes every input forget what the cut stream held. The
/// counters are read by other threads.</para>
/// <para>The gap's timestamps are fields here, not a separate object: every object the callback touches is a cache
/// line that may be cold when the device wakes the thread, and on JACK each measured as part of the host's overhead
/// (ADR 0009).</para>
/// </remarks>
internal sealed class ShowCallback(Engine engine, Recorder? recorder, IReadOnlyList<IShowInput> inputs,
    IReadOnlyList<IAudioThreadObserver> observers, Sync.BeatClock? clock = null) : IAudioCallback, ICallbackGap
{
    /// <summary>Levels and load for a live view (the dashboard); read on its thread.</summary>
    public OutputMeters Meters { get; } = new((int)engine.SampleRate);

    /// <summary>The performer's mute: a short fade, never a click.</summary>
    public OutputFade Fade { get; } = new((int)engine.SampleRate);

    private readonly DurationHistogram callbackTimes = new();
    private IAudioThreadObserver[] observing = [];
    private long callbackStartedAt;
    private long periodTicks = Stopwatch.Frequency / 100;
    private volatile bool realtime = true;
    private long framesPlayed;
    private long callbacks;
    private volatile bool scoreEnded;
    private volatile bool newRun;
    private long jitMethodsAtFirstCallback;
    private long firstCallbackAt;
    private long jitMethodsLastCounted;
    private volatile bool jitCountWanted;

    /// <summary>Frames the engine produced. Any thread.</summary>
    public long FramesPlayed => Interlocked.Read(ref framesPlayed);

    public bool ScoreEnded => scoreEnded;

    public DurationHistogram CallbackTimes => callbackTimes;

    /// <summary>
    /// Methods the JIT compiled on the audio thread from its first callback to the one after <see cref="RequestJitCount"/>.
    /// </summary>
    /// <summary>Stopwatch timestamp at the start of the first callback; 0 before it.</summary>
    public long FirstCallbackAt => Volatile.Read(ref callbacks) == 0 ? 0 : firstCallbackAt;

    public long AudioThreadJitMethods => Volatile.Read(ref callbacks) == 0 ? 0 : Volatile.Read(ref jitMethodsLastCounted) - jitMethodsAtFirstCallback;

    /// <summary>Asks the audio thread to read its JIT count at the end of its next callback (not every one: two more cold places to touch).</summary>
    public void RequestJitCount() => jitCountWanted = true;

    public bool JitCountPending => jitCountWanted;

    public long CallbackStartedAt => Volatile.Read(ref callbackStartedAt);

    public bool WaitForCallbackGap()
    {
        if (!realtime) return false;
        var seen = Volatile.Read(ref callbacks);
        var limit = Stopwatch.GetTimestamp() + 2 * Volatile.Read(ref periodTicks);
        var spinner = new SpinWait();
        while (Volatile.Read(ref callbacks) == seen)
        {
            if (Stopwatch.GetTimestamp() > limit) return false;
            spinner.SpinOnce(sleep1Threshold: -1); // yield, never sleep a whole millisecond: the gap is short
        }
        return true;
    }

    public void AboutToStart(in AudioStart start)
    {
        if (start.IsRealtime) RealtimeCode.Prepare(); // offline, a first call's compile costs time, never a deadline
        Volatile.Write(ref periodTicks, Stopwatch.Frequency * start.PeriodFrames / start.SampleRate);
        realtime = start.IsRealtime;
        observing = [.. observers]; // an array: no enumerator on the audio thread
        if (start.IsRestart)
            foreach (var input in inputs) input.ForgetHeld();
        newRun = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Process(in AudioBuffers buffers)
    {
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref callbackStartedAt, start);
        if (newRun) FirstOfRun();
        clock?.BeginPeriod(engine.OutputFrame);
        var produced = engine.Process(buffers.Output, engine.InputChannels > 0 ? buffers.Input : default, buffers.Frames);
        var output = buffers.Output[..(buffers.Frames * engine.OutputChannels)];
        Fade.Apply(output, engine.OutputChannels);
        recorder?.Capture(output);
        Interlocked.Add(ref framesPlayed, produced);
        if (produced < buffers.Frames) scoreEnded = true;
        var took = Stopwatch.GetTimestamp() - start;
        callbackTimes.RecordTicks(took);
        Meters.Measure(output, engine.OutputChannels, buffers.Frames, took, Volatile.Read(ref periodTicks));
        if (jitCountWanted)
        {
            Volatile.Write(ref jitMethodsLastCounted, JitInfo.GetCompiledMethodCount(currentThread: true));
            jitCountWanted = false;
        }
        Volatile.Write(ref callbacks, callbacks + 1);
        Volatile.Write(ref callbackStartedAt, 0);
        return produced;
    }

    /// <summary>The first callback of a run, on its (maybe new) audio thread.</summary>
    private void FirstOfRun()
    {
        newRun = false;
        if (callbacks == 0)
        {
            firstCallbackAt = Stopwatch.GetTimestamp();
            jitMethodsAtFirstCallback = JitInfo.GetCompiledMethodCount(currentThread: true);
            jitMethodsLastCounted = jitMethodsAtFirstCallback;
        }
        var list = observing;
        for (var i = 0; i < list.Length; i++) list[i].OnAudioThread();
    }

    public void Stopped() { }
}
