using System.Diagnostics;
using System.Runtime.CompilerServices;
using CsPyLive.Realtime;

namespace CsPyLive.Audio.Null;

/// <summary>
/// A real-time paced clock with no device: calls the callback once per period, on time, from a dedicated
/// highest-priority thread, and throws the samples away (a recorder may keep them). For machines without a sound
/// card, and for tests that need real-time behaviour (hot reload, OSC, timing) without JACK.
/// </summary>
/// <remarks>
/// The thread sleeps until a millisecond before each deadline and spins the rest, so periods start within
/// microseconds of their time on an idle machine. A callback that starts more than one period late is an xrun;
/// the clock then skips ahead instead of bursting to catch up, as a device would.
/// </remarks>
public sealed class NullAudioBackend(int sampleRate, int periodFrames, int outputChannels, int inputChannels = 0) : IAudioBackend
{
    private Thread? thread;
    private volatile bool running;
    private long xruns;

    public string Name => "null";
    public int SampleRate => sampleRate;
    public int PeriodFrames => periodFrames;
    public int OutputChannels => outputChannels;
    public long Xruns => Interlocked.Read(ref xruns);

    public void Start(AudioCallback callback)
    {
        if (thread is not null) throw new InvalidOperationException("already started");
        running = true;
        thread = new Thread(() => Run(callback)) { Name = "cspylive-audio(null)", IsBackground = true, Priority = ThreadPriority.Highest };
        thread.Start();
    }

    /// <summary>How the audio thread is scheduled (real-time when the system allows it).</summary>
    public SchedulingClass Scheduling { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the clock loop: optimised before its first period
    private void Run(AudioCallback callback)
    {
        Scheduling = ThreadScheduling.MakeAudioThread();
        var output = new float[periodFrames * outputChannels];
        var input = new float[periodFrames * inputChannels];
        var ticksPerPeriod = (double)Stopwatch.Frequency * periodFrames / sampleRate;
        var spinTicks = Stopwatch.Frequency / 1000;
        var start = Stopwatch.GetTimestamp();
        long period = 0;
        while (running)
        {
            var deadline = start + (long)(period * ticksPerPeriod);
            var now = Stopwatch.GetTimestamp();
            if (now - deadline > ticksPerPeriod)
            {
                Interlocked.Increment(ref xruns);
                period = (long)((now - start) / ticksPerPeriod); // skip ahead, as a device would
                continue;
            }
            while ((now = Stopwatch.GetTimestamp()) < deadline)
            {
                if (deadline - now > spinTicks) Thread.Sleep(1);
                else Thread.SpinWait(20);
            }
            callback(new AudioBuffers(output, input, periodFrames));
            period++;
        }
    }

    public void Stop()
    {
        running = false;
        // A callback that does not return keeps its (background) thread; the process can still end.
        if (thread is not null && thread != Thread.CurrentThread) thread.Join(IAudioBackend.StopWait);
        thread = null;
    }

    public void Dispose() => Stop();
}
