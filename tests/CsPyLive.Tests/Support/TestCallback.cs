using CsPyLive.Audio;

namespace CsPyLive.Tests.Support;

/// <summary>A period's work for <see cref="TestCallback"/>.</summary>
public delegate void ProcessPeriod(in AudioBuffers buffers);

/// <summary>An <see cref="IAudioCallback"/> for backend tests: runs a delegate each period and counts the hooks.</summary>
public sealed class TestCallback(ProcessPeriod process) : IAudioCallback
{
    private int starts;
    private int restarts;
    private int stops;

    public int Starts => Volatile.Read(ref starts);
    public int Restarts => Volatile.Read(ref restarts);
    public int Stops => Volatile.Read(ref stops);

    public void AboutToStart(in AudioStart start)
    {
        Interlocked.Increment(ref starts);
        if (start.IsRestart) Interlocked.Increment(ref restarts);
    }

    public int Process(in AudioBuffers buffers)
    {
        process(buffers);
        return buffers.Frames;
    }

    public void Stopped() => Interlocked.Increment(ref stops);
}
