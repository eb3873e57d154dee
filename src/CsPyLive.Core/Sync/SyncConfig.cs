using CsPyLive.Config;

namespace CsPyLive.Sync;

/// <summary>Where a show's beat clock takes its tempo and phase from.</summary>
public enum SyncSource
{
    /// <summary>The host's own clock: beats advance with the frames played, at the start tempo.</summary>
    None,

    /// <summary>An Ableton Link session on the local network (tempo and phase shared with its peers).</summary>
    Link,

    /// <summary>MIDI clock (24 ticks a beat, start/stop/continue, song position) into the JACK MIDI input.</summary>
    Midi,

    /// <summary>The JACK server's transport: its BBT position, tempo and rolling state.</summary>
    Jack,
}

/// <summary>A quantized action's boundary: the next beat or the next bar of the shared timeline.</summary>
public enum QuantizeTo
{
    /// <summary>Not quantized: as soon as it can.</summary>
    None,

    Beat,

    Bar,
}

/// <summary>
/// The <c>sync:</c> section of patch.yaml: <c>source: link|midi|jack|none</c>, <c>quantum: 4</c> (beats a bar),
/// <c>tempo: 120</c> (the start tempo: the session's when this peer is the first, the host's own clock's otherwise).
/// The command line's <c>--sync</c> overrides <see cref="Source"/>. Control thread.
/// </summary>
public sealed record SyncConfig
{
    public const double MinTempo = 20;
    public const double MaxTempo = 999;

    public SyncSource Source { get; init; } = SyncSource.None;

    /// <summary>Beats in a bar (Link's quantum): where <c>bar_phase</c> wraps and bars begin.</summary>
    public double Quantum { get; init; } = 4;

    /// <summary>The start tempo in BPM.</summary>
    public double Tempo { get; init; } = 120;

    /// <summary>Send MIDI clock (24 ppqn, start, stop) at the beat clock's tempo on the JACK port <c>midi_out</c>.</summary>
    public bool MidiClockOut { get; init; }

    /// <summary>With Link: share start/stop with the session (Link's start/stop sync); <c>playing</c> follows it.</summary>
    public bool StartStop { get; init; }

    /// <summary>Become JACK's timebase master: publish the beat clock's tempo and BBT to the transport.</summary>
    public bool JackTransportMaster { get; init; }

    public static readonly YamlSchema<SyncConfig> Yaml = new YamlSchema<SyncConfig>()
        .Key("source", (c, v) => c with { Source = v.Enum<SyncSource>() })
        .Key("quantum", (c, v) => c with { Quantum = v.Double() })
        .Key("tempo", (c, v) => c with { Tempo = v.Double() })
        .Key("midi_clock_out", (c, v) => c with { MidiClockOut = v.Bool() })
        .Key("start_stop", (c, v) => c with { StartStop = v.Bool() })
        .Key("jack_transport_master", (c, v) => c with { JackTransportMaster = v.Bool() });

    /// <summary>Throws <see cref="ConfigException"/> for a quantum or tempo out of range.</summary>
    public void Validate()
    {
        if (!(Quantum >= 1 && Quantum <= 64)) throw new ConfigException("sync.quantum", $"must be between 1 and 64 beats, not {Quantum}");
        CheckTempo("sync.tempo", Tempo);
    }

    /// <summary>Throws <see cref="ConfigException"/> naming <paramref name="key"/> unless <paramref name="bpm"/> is a tempo we play.</summary>
    public static void CheckTempo(string key, double bpm, string? origin = null)
    {
        if (!IsTempo(bpm)) throw new ConfigException(key, $"must be between {MinTempo} and {MaxTempo} BPM, not {bpm}", origin);
    }

    /// <summary>True for a tempo between <see cref="MinTempo"/> and <see cref="MaxTempo"/> BPM (Link's own range).</summary>
    public static bool IsTempo(double bpm) => bpm >= MinTempo && bpm <= MaxTempo;
}
