using CsPyLive.Config;

namespace CsPyLive.Midi;

/// <summary>Where MIDI goes: our note router (score events on fractional instances) or Csound's own MIDI system.</summary>
public enum MidiRoute
{
    /// <summary><see cref="MidiRouter"/>: held score events, control channels. The default.</summary>
    Score,
    /// <summary>Raw bytes into Csound's MIDI input (host-implemented): massign, cpsmidi, veloc, midictrl... work.</summary>
    Csound,
}

/// <summary>
/// The <c>midi:</c> section of a patch's <c>patch.yaml</c>. Every part is optional; with none, channel N plays
/// instrument N with p4 = note, p5 = velocity 0..127.
/// </summary>
/// <example><code>
/// midi:
///   route: score          # or csound
///   cc: { 74: cutoff }    # CC number -> extra control channel name (all MIDI channels), value 0..1
///   channels:
///     1: { instrument: 10, pfields: [0.5], velocity: { curve: 2, min: 0, max: 1 }, cc: { 1: vibrato } }
/// </code></example>
public sealed record MidiConfig
{
    public MidiRoute Route { get; init; } = MidiRoute.Score;
    public Dictionary<int, string> Cc { get; init; } = [];
    /// <summary>Keyed by MIDI channel number 1..16.</summary>
    public Dictionary<int, MidiChannelConfig> Channels { get; init; } = [];

    /// <summary>The section's keys.</summary>
    public static readonly YamlSchema<MidiConfig> Yaml = new YamlSchema<MidiConfig>()
        .Key("route", (c, v) => c with { Route = v.Enum<MidiRoute>() })
        .Key("cc", (c, v) => c with { Cc = v.IntTable(n => n.String()) })
        .Key("channels", (c, v) => c with { Channels = v.IntTable(ch => ch.Record(MidiChannelConfig.Yaml)) });

    /// <summary>Throws <see cref="ConfigException"/> naming the key of the first value out of range.</summary>
    public void Validate()
    {
        ValidateCc(Cc, "midi.cc");
        foreach (var (ch, c) in Channels)
        {
            if (ch is < 1 or > 16) throw new ConfigException("midi.channels", $"{ch} is not a MIDI channel (1..16)");
            var where = $"midi.channels.{ch}";
            if (c.Instrument is { } i && (i < 1 || i != Math.Floor(i) || i > 100000))
                throw new ConfigException($"{where}.instrument", $"{i} is not an instrument number (a whole number >= 1)");
            if (c.Pfields.Length > MidiRouter.MaxExtraPFields)
                throw new ConfigException($"{where}.pfields", $"at most {MidiRouter.MaxExtraPFields} extra p-fields (p6 on)");
            if (c.Pfields.Any(p => !double.IsFinite(p)))
                throw new ConfigException($"{where}.pfields", "p-fields are numbers, not .nan or .inf");
            if (c.Velocity is { } v && !(v.Curve > 0 && double.IsFinite(v.Curve) && double.IsFinite(v.Min) && double.IsFinite(v.Max)))
                throw new ConfigException($"{where}.velocity", "curve must be a number > 0, and min and max numbers (not .nan or .inf)");
            ValidateCc(c.Cc, where + ".cc");
        }
    }

    private static void ValidateCc(Dictionary<int, string> cc, string where)
    {
        foreach (var (n, name) in cc)
        {
            if (n is < 0 or > 127) throw new ConfigException(where, $"{n} is not a controller number (0..127)");
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
                throw new ConfigException($"{where}.{n}", $"'{name}' is not a channel name (no spaces)");
        }
    }
}

/// <summary>How one MIDI channel's notes become score events.</summary>
public sealed record MidiChannelConfig
{
    /// <summary>The instrument its notes play (default: the channel number).</summary>
    public double? Instrument { get; init; }
    /// <summary>Constant p-fields appended after p5 (p6, p7, ...).</summary>
    public double[] Pfields { get; init; } = [];
    public VelocityCurve? Velocity { get; init; }
    /// <summary>CC number → extra control channel name for this MIDI channel only (overrides <see cref="MidiConfig.Cc"/>).</summary>
    public Dictionary<int, string> Cc { get; init; } = [];

    public static readonly YamlSchema<MidiChannelConfig> Yaml = new YamlSchema<MidiChannelConfig>()
        .Key("instrument", (c, v) => c with { Instrument = v.OptionalDouble() })
        .Key("pfields", (c, v) => c with { Pfields = [.. v.List(p => p.Double())] })
        .Key("velocity", (c, v) => c with { Velocity = v.OptionalRecord(VelocityCurve.Yaml) })
        .Key("cc", (c, v) => c with { Cc = v.IntTable(n => n.String()) });
}

/// <summary>p5 = <see cref="Min"/> + (<see cref="Max"/> − <see cref="Min"/>) · (velocity / 127)^<see cref="Curve"/>.</summary>
public sealed record VelocityCurve
{
    public double Curve { get; init; } = 1;
    public double Min { get; init; }
    public double Max { get; init; } = 127;

    public static readonly YamlSchema<VelocityCurve> Yaml = new YamlSchema<VelocityCurve>()
        .Key("curve", (c, v) => c with { Curve = v.Double() })
        .Key("min", (c, v) => c with { Min = v.Double() })
        .Key("max", (c, v) => c with { Max = v.Double() });

    public double Apply(int velocity) => Min + (Max - Min) * Math.Pow(velocity / 127.0, Curve);
}
