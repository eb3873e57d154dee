using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using CsPyLive.Audio;
using CsPyLive.Csound;
using CsPyLive.Realtime;

namespace CsPyLive.Live;

/// <summary>
/// Runs a started <see cref="Engine"/> inside an <see cref="IAudioBackend"/>'s callback: the engine performs on the
/// backend's audio thread, one call per period, with no buffering in between. The thread that calls
/// <see cref="Run"/> is the control thread: it prints messages, writes the recording, and decides when to stop.
/// </summary>
public sealed class LiveHost(Engine engine, IAudioBackend backend, Recorder? recorder, Action<MessageKind, string> log)
{
    private readonly DurationHistogram callbackTimes = new();
    private long framesPlayed;
    private long callbacksDone;
    private long callbackStartedAt;
    private volatile bool scoreEnded;
    private long jitMethodsAtFirstCallback;
    private long jitMethodsLastCounted;
    private volatile bool jitCountWanted;

    /// <summary>Work for the control loop, run about every 10 ms (e.g. file watching); control thread.</summary>
    public Action? OnControlTick { get; set; }

    /// <summary>Runs once on the audio thread, at the start of its first callback (e.g. to note which thread it is).</summary>
    public Action? OnFirstCallback { get; set; }

    /// <summary>Stopwatch timestamp at which the callback now running started; 0 between callbacks. Any thread.</summary>
    public long CallbackStartedAt => Volatile.Read(ref callbackStartedAt);

    /// <summary>
    /// Returns just after the audio thread finishes a callback — the start of its idle gap until the next period —
    /// or false after two periods without one (stopped, or a device that is not running). Control threads only; it
    /// spins, so use it for rare work that must hold the GIL briefly without making the audio thread wait.
    /// </summary>
    public bool WaitForCallbackGap()
    {
        var seen = Volatile.Read(ref callbacksDone);
        var limit = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency * backend.PeriodFrames / backend.SampleRate;
        var spinner = new SpinWait();
        while (Volatile.Read(ref callbacksDone) == seen)
        {
            if (Stopwatch.GetTimestamp() > limit) return false;
            spinner.SpinOnce(sleep1Threshold: -1); // yield, never sleep a whole millisecond: the gap is short
        }
        return true;
    }

    public double SecondsPlayed => Interlocked.Read(ref framesPlayed) / (double)backend.SampleRate;

    /// <summary>
    /// Plays until <paramref name="duration"/> seconds of audio have been produced, the score ends, or
    /// <paramref name="cancel"/> fires. Returns what was measured.
    /// </summary>
    public LiveStats Run(double? duration, CancellationToken cancel)
    {
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        var limit = duration is { } d ? (long)Math.Round(d * backend.SampleRate) : long.MaxValue;
        RealtimeCode.Prepare();
        backend.Start(OnAudio);
        try
        {
            while (!cancel.IsCancellationRequested && !scoreEnded && Interlocked.Read(ref framesPlayed) < limit)
            {
                cancel.WaitHandle.WaitOne(10);
                engine.Messages.Drain(log);
                recorder?.Pump();
                OnControlTick?.Invoke();
            }
            // The audio thread's JIT count, read by the audio thread itself at the end of its next callback.
            jitCountWanted = true;
            while (jitCountWanted && WaitForCallbackGap()) { }
        }
        finally
        {
            backend.Stop();
        }
        engine.Messages.Drain(log, flush: true);
        recorder?.Pump();
        var gcAfter = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        return new LiveStats
        {
            Backend = backend.Name,
            Callbacks = callbackTimes.Count,
            Xruns = backend.Xruns,
            Period = backend.PeriodFrames,
            SampleRate = backend.SampleRate,
            MaxCallbackMicroseconds = callbackTimes.MaxMicroseconds,
            P99CallbackMicroseconds = callbackTimes.Percentile(0.99),
            P50CallbackMicroseconds = callbackTimes.Percentile(0.50),
            GcCollections = gcAfter - gcBefore,
            SecondsPlayed = SecondsPlayed,
            MessagesDropped = engine.Messages.Dropped,
            ActionsDropped = engine.DroppedActions,
            AudioThreadJitMethods = callbacksDone == 0 ? 0 : Volatile.Read(ref jitMethodsLastCounted) - jitMethodsAtFirstCallback,
            AudioThreadStuck = CallbackStartedAt != 0,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnAudio(in AudioBuffers buffers)
    {
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref callbackStartedAt, start);
        if (callbacksDone == 0)
        {
            jitMethodsAtFirstCallback = JitInfo.GetCompiledMethodCount(currentThread: true);
            jitMethodsLastCounted = jitMethodsAtFirstCallback;
            OnFirstCallback?.Invoke();
        }
        var produced = engine.Process(buffers.Output, engine.InputChannels > 0 ? buffers.Input : default, buffers.Frames);
        recorder?.Capture(buffers.Output[..(buffers.Frames * engine.OutputChannels)]);
        Interlocked.Add(ref framesPlayed, buffers.Frames);
        if (produced < buffers.Frames) scoreEnded = true;
        callbackTimes.RecordTicks(Stopwatch.GetTimestamp() - start);
        if (jitCountWanted)
        {
            // Not every callback: the runtime call and its thread lookup are two more cold places to touch.
            Volatile.Write(ref jitMethodsLastCounted, JitInfo.GetCompiledMethodCount(currentThread: true));
            jitCountWanted = false;
        }
        Volatile.Write(ref callbacksDone, callbacksDone + 1);
        Volatile.Write(ref callbackStartedAt, 0);
    }
}
