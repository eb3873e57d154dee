namespace CsPyLive.Audio;

/// <summary>
/// One period's buffers, lent to <see cref="AudioCallback"/> for the duration of the call: interleaved normalised
/// float, <see cref="Frames"/> frames. A ref struct, so it cannot outlive the callback.
/// </summary>
public readonly ref struct AudioBuffers(Span<float> output, ReadOnlySpan<float> input, int frames)
{
    public Span<float> Output { get; } = output;
    public ReadOnlySpan<float> Input { get; } = input;
    public int Frames { get; } = frames;
}

/// <summary>
/// The real-time callback a backend calls once per period on its audio thread. It must not allocate, block, do
/// I/O or throw; it fills <see cref="AudioBuffers.Output"/> completely.
/// </summary>
public delegate void AudioCallback(in AudioBuffers buffers);

/// <summary>An audio device (or a clock standing in for one) that calls an <see cref="AudioCallback"/> each period.</summary>
public interface IAudioBackend : IDisposable
{
    string Name { get; }
    int SampleRate { get; }
    int PeriodFrames { get; }
    int OutputChannels { get; }
    /// <summary>Periods whose callback started later than the device needed it.</summary>
    long Xruns { get; }
    /// <summary>Starts calling <paramref name="callback"/> on the backend's own thread.</summary>
    void Start(AudioCallback callback);
    /// <summary>
    /// Stops, and returns once no callback is in flight, or after <see cref="StopWait"/> for a callback that does
    /// not return, e.g. Python blocked in a C call: that callback is then left running, and the caller can tell by
    /// <c>LiveHost.CallbackStartedAt</c>. Never call from inside the callback.
    /// </summary>
    void Stop();

    /// <summary>How long <see cref="Stop"/> waits for a callback that does not return.</summary>
    static TimeSpan StopWait => TimeSpan.FromSeconds(2);
}
