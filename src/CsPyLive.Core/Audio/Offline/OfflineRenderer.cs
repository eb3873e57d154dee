using CsPyLive.Csound;

namespace CsPyLive.Audio.Offline;

/// <summary>
/// Renders an started <see cref="Engine"/> as fast as possible into a <see cref="WavWriter"/>: the offline backend.
/// Runs on the calling thread, which becomes the performing thread.
/// </summary>
public sealed class OfflineRenderer(Engine engine, WavWriter writer)
{
    /// <summary>Frames per block handed to the engine; any size works, this one keeps file writes large.</summary>
    public int BlockFrames { get; init; } = 4096;

    /// <summary>Called after each block, on the rendering thread (e.g. to drain messages to the console).</summary>
    public Action? AfterBlock { get; init; }

    /// <summary>
    /// Renders until the score ends, or until <paramref name="maxFrames"/> frames when given (the output is then
    /// exactly that long, silence-padded if the score ended first). Returns the frames written.
    /// </summary>
    public long Render(long? maxFrames = null, CancellationToken cancel = default)
    {
        var buffer = new float[BlockFrames * engine.OutputChannels];
        long written = 0;
        while (!cancel.IsCancellationRequested)
        {
            var want = maxFrames is { } max ? (int)Math.Min(BlockFrames, max - written) : BlockFrames;
            if (want <= 0) break;
            var produced = engine.Process(buffer, ReadOnlySpan<float>.Empty, want);
            var keep = maxFrames is null ? produced : want;
            writer.Write(buffer.AsSpan(0, keep * engine.OutputChannels));
            written += keep;
            AfterBlock?.Invoke();
            if (engine.Finished && (maxFrames is null || produced < want))
            {
                if (maxFrames is { } m && written < m) written += PadSilence(buffer, m - written);
                break;
            }
        }
        return written;
    }

    private long PadSilence(float[] buffer, long frames)
    {
        Array.Clear(buffer);
        var left = frames;
        while (left > 0)
        {
            var n = (int)Math.Min(left, BlockFrames);
            writer.Write(buffer.AsSpan(0, n * engine.OutputChannels));
            left -= n;
        }
        return frames;
    }
}
