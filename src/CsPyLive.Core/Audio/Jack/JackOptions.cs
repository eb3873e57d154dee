namespace CsPyLive.Audio.Jack;

/// <summary>How <see cref="JackAudioBackend"/> presents itself to the JACK server.</summary>
public sealed record JackOptions
{
    /// <summary>The JACK client name (JACK appends -01, -02... if it is taken). Ports are named out_1.., in_1...</summary>
    public string ClientName { get; init; } = "cspylive";

    /// <summary>Connect out_N to the Nth physical playback port and the Nth physical capture port to in_N.</summary>
    public bool AutoConnect { get; init; } = true;

    /// <summary>How often a lost server is looked for again.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Where the backend reports server loss and reconnection: called on the backend's supervisor thread (never the
    /// audio thread), so it may format and print.
    /// </summary>
    public Action<string>? Log { get; init; }
}
