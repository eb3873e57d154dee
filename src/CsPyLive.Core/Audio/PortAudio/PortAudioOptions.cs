namespace CsPyLive.Audio.PortAudio;

/// <summary>How <see cref="PortAudioBackend"/> opens its device.</summary>
public sealed record PortAudioOptions
{
    /// <summary>A device name or index (<c>cspylive devices</c> lists them); null: PortAudio's default output device.</summary>
    public string? Device { get; init; }

    /// <summary>Frames a period: what each callback gets, fixed for the stream.</summary>
    public int PeriodFrames { get; init; } = 256;

    /// <summary>The name PortAudio's JACK host API gives its client.</summary>
    public string JackClientName { get; init; } = "cspylive";
}
