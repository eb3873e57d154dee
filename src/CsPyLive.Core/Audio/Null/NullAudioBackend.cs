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
/// the clock then skips ahead instead of bursting to catch up, as a device would. A callback that throws gets a
/// silent period and a count, as on JACK. Threads: <see cref="Start"/>, <see cref="Stop"/> on a control thread.
/// </remarks>
public sealed class NullAudioBackend(int sampleRate, int periodFrames, int outputChannels, int inputChannels = 0) : IAudioBackend
{
    private Thread? thread;
    private IAudioCallback? callback;
    private volatile bool running;
    private long xruns;
    private long callbackErrors;

    public string Name => "null";
    public string DeviceName => "";
    public string DeviceDescription => "";
    public bool IsAudible => false;
    public int SampleRate => sampleRate;
    public int PeriodFrames => periodFrames;
    public int OutputChannels => outputChannels;
    public long Xruns => Interlocked.Read(ref xruns);
    public long CallbackErrors => Interlocked.Read(ref callbackErrors);

    /// <summary>How the audio thread is scheduled (real-time when the system allows it).</summary>
    public SchedulingClass Scheduling { get; private set; }

    public void Start(IAudioCallback callback)
    {
        if (thread is not null) throw new InvalidOperationException("already started");
        this.callback = callback;
        callback.AboutToStart(new AudioStart(sampleRate, periodFrames, IsRestart: false));
        running = true;
        thread = new Thread(Run) { Name = "cspylive-audio(null)", IsBackground = true, Priority = ThreadPriority.Highest };
        thread.Start();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the clock loop: optimised before its first period
    private void Run()
    {
        Scheduling = ThreadScheduling.MakeAudioThread();
        var target = callback!;
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
            try
            {
                target.Process(new AudioBuffers(output, input, periodFrames));
            }
            catch
            {
                output.AsSpan().Clear();
                Interlocked.Increment(ref callbackErrors);
            }
            period++;
        }
    }

    public void Stop()
    {
        running = false;
        var t = thread;
        thread = null;
        if (t is null || t == Thread.CurrentThread) return;
        // A callback that does not return keeps its (background) thread; the process can still end.
        if (t.Join(IAudioBackend.StopWait)) callback?.Stopped();
    }

    public void Dispose() => Stop();
}
