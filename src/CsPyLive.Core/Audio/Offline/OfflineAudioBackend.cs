namespace CsPyLive.Audio.Offline;

/// <summary>
/// Renders as fast as the machine goes into a WAV file: the backend of <c>render</c>. The callback and the show's
/// control work run on the calling thread in lockstep, a block then the control work, so a render is the same every
/// time (MIDI from a file and scripted reloads land where they would live, and nothing races).
/// </summary>
/// <remarks>
/// The output is exactly <c>maxFrames</c> long when that is given (silence-padded if the performance ended first);
/// otherwise it ends with the performance. Stopped early (the control work says so: Ctrl+C), it ends where it
/// stopped, with a valid header. Control thread only; <see cref="Start"/> is not supported (nothing drives
/// the callback but <see cref="Run"/>).
/// </remarks>
public sealed class OfflineAudioBackend(string path, int sampleRate, int outputChannels, SampleFormat format, long? maxFrames,
    int blockFrames = OfflineAudioBackend.DefaultBlockFrames) : IAudioBackend
{
    /// <summary>Frames per block: any size works, this one keeps file writes large.</summary>
    public const int DefaultBlockFrames = 4096;

    private WavWriter? writer;

    public string Name => "offline";
    public string DeviceName => "";
    public string DeviceDescription => "";
    public bool IsAudible => false;
    public int SampleRate => sampleRate;
    public int PeriodFrames => blockFrames;
    public int OutputChannels => outputChannels;
    public long Xruns => 0;
    public long CallbackErrors => 0;

    /// <summary>The file written.</summary>
    public string Path => path;

    /// <summary>Frames written so far.</summary>
    public long FramesWritten => writer?.FramesWritten ?? 0;

    public void Start(IAudioCallback callback) =>
        throw new NotSupportedException("the offline backend renders through Run, on the calling thread");

    public void Stop() { }

    public void Run(IAudioCallback callback, Func<TimeSpan, bool> control)
    {
        writer = new WavWriter(path, sampleRate, outputChannels, format);
        var buffer = new float[blockFrames * outputChannels];
        callback.AboutToStart(new AudioStart(sampleRate, blockFrames, IsRestart: false, IsRealtime: false));
        try
        {
            long written = 0;
            while (control(TimeSpan.Zero))
            {
                var want = maxFrames is { } max ? (int)Math.Min(blockFrames, max - written) : blockFrames;
                if (want <= 0) break;
                var produced = callback.Process(new AudioBuffers(buffer.AsSpan(0, want * outputChannels), default, want));
                var keep = maxFrames is null ? produced : want;
                writer.Write(buffer.AsSpan(0, keep * outputChannels));
                written += keep;
                if (produced < want)
                {
                    // The performance ended before the duration asked for: the file is still exactly that long.
                    if (maxFrames is { } m && written < m) PadSilence(buffer, m - written);
                    break;
                }
            }
        }
        finally
        {
            callback.Stopped();
            writer.Dispose(); // the header's sizes
        }
    }

    private void PadSilence(float[] buffer, long frames)
    {
        Array.Clear(buffer);
        for (var left = frames; left > 0;)
        {
            var n = (int)Math.Min(left, blockFrames);
            writer!.Write(buffer.AsSpan(0, n * outputChannels));
            left -= n;
        }
    }

    public void Dispose() => writer?.Dispose();
}
