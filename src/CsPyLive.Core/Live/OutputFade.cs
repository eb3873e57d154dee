namespace CsPyLive.Live;

/// <summary>
/// Mute without a click: a linear ramp of the output's gain to 0 or back to 1 over <see cref="FadeSeconds"/>, applied
/// in the callback after the engine (the recording hears what the room hears). The control thread sets the target;
/// the audio thread ramps. Unity gain with no ramp under way costs one comparison a callback.
/// </summary>
public sealed class OutputFade(int sampleRate)
{
    public const double FadeSeconds = 0.05;
    private readonly float step = (float)(1.0 / (FadeSeconds * sampleRate));
    private volatile bool muted;
    private float gain = 1;

    /// <summary>Any thread: fade out (true) or back in (false).</summary>
    public bool Muted { get => muted; set => muted = value; }

    /// <summary>The audio thread: ramps <paramref name="interleaved"/> toward the target gain.</summary>
    public void Apply(Span<float> interleaved, int channels)
    {
        var target = muted ? 0f : 1f;
        if (gain == target)
        {
            if (target == 0) interleaved.Clear();
            return;
        }
        for (var i = 0; i < interleaved.Length; i += channels)
        {
            gain = target > gain ? Math.Min(target, gain + step) : Math.Max(target, gain - step);
            for (var c = 0; c < channels && i + c < interleaved.Length; c++) interleaved[i + c] *= gain;
        }
    }
}
