using System.Diagnostics;
using CsPyLive.Csound;
using CsPyLive.Realtime;

namespace CsPyLive.Python;

/// <summary>
/// What the <see cref="PythonWatchdog"/> watches in a render, where there is no period to overrun: how long the
/// engine has been in its current k-cycle, seen from a thread that polls. A render's block (thousands of frames) may
/// take long on a heavy orchestra; a k-cycle that does not end for a whole render budget is Python that does not
/// return. Between blocks (the render writing its file) nothing runs: 0.
/// </summary>
/// <remarks>Read by the watchdog's thread only (it keeps the last frame count it saw).</remarks>
public sealed class KCycleProgress(ICallbackGap block, Engine engine) : ICallbackGap
{
    private long lastFrames = -1;
    private long since;

    /// <summary>When the k-cycle now running started, as far as polling can tell (the first poll that saw it); 0 between blocks.</summary>
    public long CallbackStartedAt
    {
        get
        {
            var started = block.CallbackStartedAt;
            if (started == 0) return 0;
            var frames = engine.FramesPerformed;
            if (frames != lastFrames)
            {
                lastFrames = frames;
                since = Stopwatch.GetTimestamp();
            }
            return Math.Max(started, since);
        }
    }

    /// <summary>A render has no idle gap to wait for.</summary>
    public bool WaitForCallbackGap() => false;
}
