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
