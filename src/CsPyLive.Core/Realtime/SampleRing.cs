namespace CsPyLive.Realtime;

/// <summary>
/// A single-producer, single-consumer ring of float samples: the audio thread writes what it produced, a writer
/// thread reads it out to a file. Never blocks; a write that does not fit is cut and counted in <see cref="Overruns"/>.
/// </summary>
public sealed class SampleRing(int capacity)
{
    private readonly float[] buffer = new float[capacity];
    private PaddedCounter written;   // total samples ever written (producer's)
    private PaddedCounter read;      // total samples ever read (consumer's)
    private long overruns;

    public long Overruns => Interlocked.Read(ref overruns);

    /// <summary>Producer: appends samples; real-time safe.</summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        var w = written.Value;
        var free = buffer.Length - (int)(w - Volatile.Read(ref read.Value));
        if (samples.Length > free)
        {
            Interlocked.Increment(ref overruns);
            samples = samples[..free];
        }
        var at = (int)(w % buffer.Length);
        var first = Math.Min(samples.Length, buffer.Length - at);
        samples[..first].CopyTo(buffer.AsSpan(at));
        samples[first..].CopyTo(buffer);
        Volatile.Write(ref written.Value, w + samples.Length);
    }

    /// <summary>Consumer: copies up to <paramref name="destination"/>.Length samples out; returns how many.</summary>
    public int Read(Span<float> destination)
    {
        var r = read.Value;
        var available = (int)(Volatile.Read(ref written.Value) - r);
        var n = Math.Min(available, destination.Length);
        var at = (int)(r % buffer.Length);
        var first = Math.Min(n, buffer.Length - at);
        buffer.AsSpan(at, first).CopyTo(destination);
        buffer.AsSpan(0, n - first).CopyTo(destination[first..]);
        Volatile.Write(ref read.Value, r + n);
        return n;
    }
}
