namespace CsPyLive.Audio;

/// <summary>
/// One period's buffers, lent to <see cref="IAudioCallback.Process"/> for the duration of the call: interleaved
/// normalised float, <see cref="Frames"/> frames. A ref struct, so it cannot outlive the callback.
/// </summary>
public readonly ref struct AudioBuffers(Span<float> output, ReadOnlySpan<float> input, int frames)
{
    public Span<float> Output { get; } = output;
    public ReadOnlySpan<float> Input { get; } = input;
    public int Frames { get; } = frames;
}
