using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CsPyLive.Config;

/// <summary>
/// Reads a YAML settings file into a typed record by the record's <see cref="YamlSchema{T}"/>: keys are snake_case,
/// enum values lower case, and a key the record does not have is an error naming the keys that are allowed there.
/// The only place the project reads YAML. No reflection (NativeAOT, ADR 0015). Control thread.
/// </summary>
public static class YamlConfigFile
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="ConfigException"/> naming it.</summary>
    public static T Read<T>(string path, YamlSchema<T> schema) where T : class, new()
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException("", $"cannot be read: {e.Message}", path, e);
        }
        return Parse(text, path, schema);
    }

    /// <summary>Parses YAML text from <paramref name="origin"/> (empty text: defaults). Throws <see cref="ConfigException"/>.</summary>
    public static T Parse<T>(string yaml, string origin, YamlSchema<T> schema) where T : class, new()
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw ConfigException.AtLine(origin, (int)e.Start.Line, (int)e.Start.Column, Explain(e), e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException) // YamlDotNet's loader on some broken files (found by the fuzz)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            throw ConfigException.AtLine(origin, (int)at.Line, (int)at.Column, "not valid YAML here (a '[' or '{' not closed?)", e);
        }
        if (stream.Documents.Count == 0) return new T();
        var root = new YamlValue(stream.Documents[0].RootNode, "", origin);
        return root.IsNull ? new T() : root.Record(schema);
    }

    /// <summary>What went wrong, in the file's terms.</summary>
    private static string Explain(YamlException e)
    {
        var innermost = e;
        while (innermost.InnerException is YamlException deeper) innermost = deeper;
        const string duplicate = "Duplicate key ";
        if (innermost.Message.StartsWith(duplicate, StringComparison.Ordinal))
            return $"duplicate key '{innermost.Message[duplicate.Length..].Trim()}' (a key may be given once here)";
        // The parser notices an unclosed '[' or '{' where the file goes on (often the next line): say what to look for.
        if (innermost.Message.Contains("flow sequence", StringComparison.Ordinal)) return innermost.Message + " (a '[' not closed on an earlier line?)";
        if (innermost.Message.Contains("flow mapping", StringComparison.Ordinal)) return innermost.Message + " (a '{' not closed on an earlier line?)";
        return innermost.Message;
    }
}
