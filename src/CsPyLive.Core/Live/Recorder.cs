using System.Diagnostics;
using CsPyLive.Audio.Offline;
using CsPyLive.Realtime;

namespace CsPyLive.Live;

/// <summary>
/// Keeps what the engine produced in a WAV file: the audio thread hands samples to a ring (no I/O, no allocation);
/// <see cref="Pump"/>, on a control thread, writes them out. Stops after <see cref="MaxFrames"/> when set.
/// </summary>
/// <remarks>
/// <para>Crash-safe: the header's sizes are rewritten and the file synced about every second, so a <c>kill -9</c> or a
/// power cut leaves a file that plays up to then; past 4 GiB it becomes RF64. Unbuffered writes of whole chunks, so a
/// write the disk refuses is one known chunk, cut off again.</para>
/// <para>A recording that fails (a full disk, a device gone) never stops the show: the recorder says so once, stops
/// writing, and leaves the file valid up to the last chunk written (<see cref="Failure"/>).</para>
/// </remarks>
public sealed class Recorder : IDisposable
{
    private readonly SampleRing ring;
    private readonly WavWriter writer;
    private readonly float[] chunk;
    private readonly int channels;
    private readonly int sampleRate;
    private readonly Action<string>? log;
    private long lastHeaderAt;
    private bool closed;

    public Recorder(string path, int sampleRate, int channels, SampleFormat format, long? maxFrames = null, Action<string>? log = null)
        : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0), path, sampleRate, channels, format, maxFrames, log)
    {
    }

    /// <summary>Records into <paramref name="stream"/> (tests give one that fails like a full disk).</summary>
    internal Recorder(Stream stream, string path, int sampleRate, int channels, SampleFormat format, long? maxFrames, Action<string>? log,
        long rf64Threshold = uint.MaxValue - 1024)
    {
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.log = log;
        MaxFrames = maxFrames;
        ring = new SampleRing(sampleRate * channels * 4); // four seconds of slack for a slow disk
        chunk = new float[8192 * channels];
        writer = new WavWriter(stream, sampleRate, channels, format, rf64: true, rf64Threshold);
        Path = path;
        lastHeaderAt = Stopwatch.GetTimestamp();
    }

    public string Path { get; }
    public long? MaxFrames { get; }
    public long FramesWritten => writer.FramesWritten;

    /// <summary>Times the writer fell behind by more than the ring holds (samples were lost from the file).</summary>
    public long Overruns => ring.Overruns;

    /// <summary>Why the recording stopped before the show did (the disk's own words); null while it records.</summary>
    public string? Failure { get; private set; }

    /// <summary>Audio thread: queue one period's output.</summary>
    public void Capture(ReadOnlySpan<float> interleaved) => ring.Write(interleaved);

    /// <summary>Control thread: write what has been captured so far; about every second, the header's sizes too.</summary>
    public void Pump()
    {
        int n;
        while ((n = ring.Read(chunk)) > 0)
        {
            if (Failure is not null) continue; // the show goes on; the samples have nowhere to go
            var frames = n / channels;
            if (MaxFrames is { } max) frames = (int)Math.Min(frames, max - writer.FramesWritten);
            if (frames > 0) Attempt(() => writer.Write(chunk.AsSpan(0, frames * channels)));
        }
        if (Failure is null && Stopwatch.GetTimestamp() - lastHeaderAt >= Stopwatch.Frequency)
        {
            lastHeaderAt = Stopwatch.GetTimestamp();
            Attempt(() => writer.UpdateHeader(toDisk: true));
        }
    }

    private void Attempt(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failure = WithoutPath(e.Message);
            log?.Invoke($"the recording to {Path} stopped: {Failure}. The show goes on; the file holds the first " +
                $"{writer.FramesWritten / (double)sampleRate:0.#} s");
            try { writer.UpdateHeader(); } catch (IOException) { } // the sizes of what is there, if the disk still takes 12 bytes in place
        }
    }

    /// <summary>.NET appends " : '/the/path'" to some I/O messages; the log line names the file once already.</summary>
    private string WithoutPath(string message)
    {
        foreach (var name in new[] { Path, System.IO.Path.GetFullPath(Path) })
        {
            var suffix = $" : '{name}'";
            if (message.EndsWith(suffix, StringComparison.Ordinal)) return message[..^suffix.Length];
        }
        return message;
    }

    /// <summary>Writes what is left and closes the file with its sizes; once. Control thread, after the audio has stopped.</summary>
    public void Dispose()
    {
        if (closed) return;
        closed = true;
        Pump();
        try
        {
            writer.Dispose();
        }
        catch (IOException e) when (Failure is not null)
        {
            _ = e; // already said; the file's header was written when the disk first refused
        }
    }
}
