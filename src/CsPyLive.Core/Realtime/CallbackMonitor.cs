using System.Diagnostics;

namespace CsPyLive.Realtime;

/// <summary>
/// What other threads may know about the audio callback: whether one is running and since when, and the idle gap
/// after it. Reload swaps code in the gap; the Python watchdog interrupts a callback that overruns.
/// </summary>
public interface ICallbackGap
{
    /// <summary>Stopwatch timestamp at which the callback now running started; 0 between callbacks. Any thread.</summary>
    long CallbackStartedAt { get; }

    /// <summary>
    /// Returns just after the audio thread finishes a callback — the start of its idle gap until the next period —
    /// or false after two periods without one (stopped, offline, or a device that is not running). Control threads
    /// only; it spins, so use it for rare work that must hold the GIL briefly without making the audio thread wait.
    /// </summary>
    bool WaitForCallbackGap();
}

/// <summary>Told, on the audio thread, at the first callback of each run (a device restart brings a new thread).</summary>
public interface IAudioThreadObserver
{
    /// <summary>Audio thread; must not allocate or block.</summary>
    void OnAudioThread();
}

/// <summary>
/// The callback's timestamps, published by the audio thread (<see cref="Entered"/>, <see cref="Left"/>) and read by
/// others through <see cref="ICallbackGap"/>. Plain volatile fields: the audio thread never waits on a reader.
/// </summary>
public sealed class CallbackMonitor : ICallbackGap
{
    private long callbackStartedAt;
    private long callbacksDone;
    private long periodTicks = Stopwatch.Frequency / 100;
    private volatile bool realtime = true;

    public long CallbackStartedAt => Volatile.Read(ref callbackStartedAt);

    /// <summary>Callbacks finished so far. Any thread.</summary>
    public long CallbacksDone => Volatile.Read(ref callbacksDone);

    /// <summary>A run begins with this period; <paramref name="isRealtime"/> false: no gap to wait for (control thread, before its first callback).</summary>
    public void Starting(int sampleRate, int periodFrames, bool isRealtime)
    {
        Volatile.Write(ref periodTicks, Stopwatch.Frequency * periodFrames / sampleRate);
        realtime = isRealtime;
    }

    /// <summary>Audio thread, at the start of a callback.</summary>
    public void Entered(long timestamp) => Volatile.Write(ref callbackStartedAt, timestamp);

    /// <summary>Audio thread, at the end of a callback.</summary>
    public void Left()
    {
        Volatile.Write(ref callbacksDone, callbacksDone + 1);
        Volatile.Write(ref callbackStartedAt, 0);
    }

    public bool WaitForCallbackGap()
    {
        if (!realtime) return false;
        var seen = Volatile.Read(ref callbacksDone);
        var limit = Stopwatch.GetTimestamp() + 2 * Volatile.Read(ref periodTicks);
        var spinner = new SpinWait();
        while (Volatile.Read(ref callbacksDone) == seen)
        {
            if (Stopwatch.GetTimestamp() > limit) return false;
            spinner.SpinOnce(sleep1Threshold: -1); // yield, never sleep a whole millisecond: the gap is short
        }
        return true;
    }
}
