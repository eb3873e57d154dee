using CsPyLive.Osc;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CsPyLive.Live;

/// <summary>
/// A patch's <c>patch.yaml</c>: one section per input (<c>osc:</c>, ...), each a typed class of its own. Keys use
/// snake_case; keys this host does not know are ignored, so a newer patch still plays. Control thread.
/// </summary>
public sealed class PatchConfig
{
    public const string FileName = "patch.yaml";

    /// <summary>The <c>osc:</c> section (routes, ports, feedback); null when absent.</summary>
    public OscConfig? Osc { get; set; }

    /// <summary>Reads <c>patch.yaml</c> from a patch folder; an empty config when the file does not exist.</summary>
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
            .IgnoreUnmatchedProperties()
            .Build();
        try
        {
            var config = deserializer.Deserialize<PatchConfig?>(yaml) ?? new PatchConfig();
            config.Osc?.Validate();
            return config;
        }
        catch (YamlException e)
        {
            throw new PatchConfigException($"{origin}: line {e.Start.Line}: {(e.InnerException ?? e).Message}");
        }
        catch (FormatException e)
        {
            throw new PatchConfigException($"{origin}: {e.Message}");
        }
    }
}

/// <summary>A patch.yaml that cannot be used; the message names the file and what is wrong.</summary>
public sealed class PatchConfigException(string message) : IOException(message);
