using CsPyLive.Config;
using CsPyLive.Midi;
using CsPyLive.Osc;
using CsPyLive.Sync;

namespace CsPyLive.Live;

/// <summary>
/// A patch's <c>patch.yaml</c>: one section per concern, each a typed record of its own so sections grow
/// independently. Missing file or section means defaults. Keys are snake_case; unknown keys are errors (a typo must
/// not silently do nothing on stage). Control thread.
/// </summary>
public sealed record PatchConfig
{
    public const string FileName = "patch.yaml";

    /// <summary>The <c>midi:</c> section (see <see cref="MidiConfig"/>).</summary>
    public MidiConfig Midi { get; init; } = new();

    /// <summary>The <c>osc:</c> section (routes, ports, feedback); null when absent.</summary>
    public OscConfig? Osc { get; init; }

    /// <summary>The <c>panic:</c> section: what a panic (typed, <c>/panic</c>) leaves playing.</summary>
    public PanicConfig Panic { get; init; } = new();

    /// <summary>The <c>sync:</c> section: the beat clock's source, quantum and start tempo.</summary>
    public SyncConfig Sync { get; init; } = new();

    /// <summary>The file's sections.</summary>
    public static readonly YamlSchema<PatchConfig> Yaml = new YamlSchema<PatchConfig>()
        .Key("midi", (c, v) => c with { Midi = v.Record(MidiConfig.Yaml) })
        .Key("osc", (c, v) => c with { Osc = v.OptionalRecord(OscConfig.Yaml) })
        .Key("panic", (c, v) => c with { Panic = v.Record(PanicConfig.Yaml) })
        .Key("sync", (c, v) => c with { Sync = v.Record(SyncConfig.Yaml) });

    /// <summary>Reads <c>patch.yaml</c> from <paramref name="patchDirectory"/>; defaults when there is none.</summary>
    public static PatchConfig Load(string patchDirectory)
    {
        var path = Path.Combine(patchDirectory, FileName);
        return File.Exists(path) ? Validated(YamlConfigFile.Read(path, Yaml), path) : new PatchConfig();
    }

    /// <summary>Parses YAML text. Throws <see cref="ConfigException"/> naming <paramref name="origin"/>, and the line or key.</summary>
    public static PatchConfig Parse(string yaml, string origin = FileName) => Validated(YamlConfigFile.Parse(yaml, origin, Yaml), origin);

    /// <summary>
    /// Instruments a panic leaves alone: <c>panic.keep</c>, and <c>osc.panic_keep</c> where the patch predates it
    /// (when /panic was OSC's alone).
    /// </summary>
    public IReadOnlyList<double> PanicKeep => [.. Panic.Keep.Concat(Osc?.PanicKeep ?? []).Distinct()];

    private static PatchConfig Validated(PatchConfig config, string origin)
    {
        try
        {
            config.Midi.Validate();
            config.Osc?.Validate();
            config.Panic.Validate();
            config.Sync.Validate();
        }
        catch (ConfigException e)
        {
            throw e.In(origin);
        }
        return config;
    }
}

/// <summary>The <c>panic:</c> section of patch.yaml.</summary>
public sealed record PanicConfig
{
    /// <summary>Instruments a panic leaves alone (e.g. an always-on reverb).</summary>
    public List<double> Keep { get; init; } = [];

    public static readonly YamlSchema<PanicConfig> Yaml = new YamlSchema<PanicConfig>()
        .Key("keep", (c, v) => c with { Keep = v.List(i => i.Double()) });

    public void Validate()
    {
        foreach (var i in Keep)
            if (!(i >= 1) || double.IsInfinity(i)) throw new ConfigException("panic.keep", $"{i} is not an instrument number (>= 1)");
    }
}
