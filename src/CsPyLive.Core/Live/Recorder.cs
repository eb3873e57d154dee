using CsPyLive.Audio.Offline;
using CsPyLive.Realtime;

namespace CsPyLive.Live;

/// <summary>
/// Keeps what the engine produced in a WAV file: the audio thread hands samples to a ring (no I/O, no allocation);
/// <see cref="Pump"/>, on a control thread, writes them out. Stops after <see cref="MaxFrames"/> when set.
/// </summary>
public sealed class Recorder : IDisposable
{
    private readonly SampleRing ring;
    private readonly WavWriter writer;
    private readonly float[] chunk;
    private readonly int channels;

    public Recorder(string path, int sampleRate, int channels, SampleFormat format, long? maxFrames = null)
    {
        this.channels = channels;
        MaxFrames = maxFrames;
        ring = new SampleRing(sampleRate * channels * 4); // four seconds of slack for a slow disk
        chunk = new float[8192 * channels];
        writer = new WavWriter(path, sampleRate, channels, format);
        Path = path;
    }

    public string Path { get; }
    public long? MaxFrames { get; }
    public long FramesWritten => writer.FramesWritten;
    /// <summary>Times the writer fell behind by more than the ring holds (samples were lost from the file).</summary>
    public long Overruns => ring.Overruns;

    /// <summary>Audio thread: queue one period's output.</summary>
    public void Capture(ReadOnlySpan<float> interleaved) => ring.Write(interleaved);

    /// <summary>Control thread: write what has been captured so far.</summary>
    public void Pump()
    {
        int n;
        while ((n = ring.Read(chunk)) > 0)
        {
            var frames = n / channels;
            if (MaxFrames is { } max) frames = (int)Math.Min(frames, max - writer.FramesWritten);
            if (frames > 0) writer.Write(chunk.AsSpan(0, frames * channels));
        }
    }

    /// <summary>Writes what is left and closes the file with its sizes; once. Control thread, after the audio has stopped.</summary>
    public void Dispose()
    {
        if (closed) return;
        closed = true;
        Pump();
        writer.Dispose();
    }

    private bool closed;
}
