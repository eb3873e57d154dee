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
/// buffering in between; the recorder gets a copy; the callback's time goes into a histogram, and its timestamps
/// into the <see cref="CallbackMonitor"/> that reload and the watchdog read.
/// </summary>
/// <remarks>
/// <see cref="Process"/> is the audio thread's, allocation-free. <see cref="AboutToStart"/> (control thread) compiles
/// what a real-time audio thread will run (<see cref="RealtimeCode"/>), and after a device restart makes every input
/// forget what the cut stream held. The counters are read by the control thread.
/// </remarks>
internal sealed class ShowCallback(Engine engine, Recorder? recorder, CallbackMonitor monitor, IReadOnlyList<IShowInput> inputs,
    IAudioThreadObserver[] observers) : IAudioCallback
{
    private readonly DurationHistogram callbackTimes = new();
    private long framesPlayed;
    private long callbacks;
    private volatile bool scoreEnded;
    private volatile bool newRun;
    private long jitMethodsAtFirstCallback;
    private long jitMethodsLastCounted;
    private volatile bool jitCountWanted;

    /// <summary>Frames the engine produced. Any thread.</summary>
    public long FramesPlayed => Interlocked.Read(ref framesPlayed);

    public bool ScoreEnded => scoreEnded;

    public DurationHistogram CallbackTimes => callbackTimes;

    /// <summary>
    /// Methods the JIT compiled on the audio thread from its first callback to the one after <see cref="RequestJitCount"/>.
    /// </summary>
    public long AudioThreadJitMethods => Volatile.Read(ref callbacks) == 0 ? 0 : Volatile.Read(ref jitMethodsLastCounted) - jitMethodsAtFirstCallback;

    /// <summary>Asks the audio thread to read its JIT count at the end of its next callback (not every one: two more cold places to touch).</summary>
    public void RequestJitCount() => jitCountWanted = true;

    public bool JitCountPending => jitCountWanted;

    public void AboutToStart(in AudioStart start)
    {
        if (start.IsRealtime) RealtimeCode.Prepare(); // offline, a first call's compile costs time, never a deadline
        monitor.Starting(start.SampleRate, start.PeriodFrames, start.IsRealtime);
        if (start.IsRestart)
            foreach (var input in inputs) input.ForgetHeld();
        newRun = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Process(in AudioBuffers buffers)
    {
        var start = Stopwatch.GetTimestamp();
        monitor.Entered(start);
        if (newRun) FirstOfRun();
        var produced = engine.Process(buffers.Output, engine.InputChannels > 0 ? buffers.Input : default, buffers.Frames);
        recorder?.Capture(buffers.Output[..(buffers.Frames * engine.OutputChannels)]);
        Interlocked.Add(ref framesPlayed, produced);
        if (produced < buffers.Frames) scoreEnded = true;
        callbackTimes.RecordTicks(Stopwatch.GetTimestamp() - start);
        if (jitCountWanted)
        {
            Volatile.Write(ref jitMethodsLastCounted, JitInfo.GetCompiledMethodCount(currentThread: true));
            jitCountWanted = false;
        }
        Volatile.Write(ref callbacks, callbacks + 1);
        monitor.Left();
        return produced;
    }

    /// <summary>The first callback of a run, on its (maybe new) audio thread.</summary>
    private void FirstOfRun()
    {
        newRun = false;
        if (callbacks == 0)
        {
            jitMethodsAtFirstCallback = JitInfo.GetCompiledMethodCount(currentThread: true);
            jitMethodsLastCounted = jitMethodsAtFirstCallback;
        }
        for (var i = 0; i < observers.Length; i++) observers[i].OnAudioThread(); // an array: no enumerator on the audio thread
    }

    public void Stopped() { }
}
