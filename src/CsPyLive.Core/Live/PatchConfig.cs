using CsPyLive.Midi;
using CsPyLive.Osc;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CsPyLive.Live;

/// <summary>A patch.yaml that cannot be used; the message names the file, the line and what is wrong.</summary>
public sealed class PatchConfigException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// A patch's <c>patch.yaml</c>: one section per input, each a typed record of its own so sections grow
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

    /// <summary>Reads <c>patch.yaml</c> from <paramref name="patchDirectory"/>; defaults when there is none.</summary>
    public static PatchConfig Load(string patchDirectory)
    {
        var path = Path.Combine(patchDirectory, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : new PatchConfig();
    }

    /// <summary>Parses YAML text. Throws <see cref="PatchConfigException"/> with the file, line and reason.</summary>
    public static PatchConfig Parse(string yaml, string origin = FileName)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithEnumNamingConvention(LowerCaseNamingConvention.Instance)
            .Build();
        PatchConfig config;
        try
        {
            config = deserializer.Deserialize<PatchConfig?>(yaml) ?? new PatchConfig();
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is { } i and not YamlException ? $" ({i.Message})" : "";
            throw new PatchConfigException($"{origin}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}{inner}", e);
        }
        try
        {
            config.Midi.Validate();
            config.Osc?.Validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new PatchConfigException($"{origin}: {e.Message}", e);
        }
        return config;
    }
}
