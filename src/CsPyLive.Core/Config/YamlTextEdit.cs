using YamlDotNet.RepresentationModel;

namespace CsPyLive.Config;

/// <summary>
/// Sets one entry of a two-level table in a YAML file's text (<c>midi: cc: {74: cutoff}</c>) and leaves every other
/// character as it was: comments, blank lines, order, flow or block style. The file is parsed only to find where the
/// section, the table and the key are; the edit is an insertion or a replacement at those places. Control thread.
/// </summary>
public static class YamlTextEdit
{
    /// <summary>
    /// <paramref name="yaml"/> with <c>section.table.key</c> set to <paramref name="value"/> (a plain scalar); a new
    /// block-style line gets <paramref name="comment"/> after it. Throws <see cref="ConfigException"/> if the text
    /// is not YAML or the section or table is not a mapping.
    /// </summary>
    public static string SetEntry(string yaml, string section, string table, string key, string value, string comment, string origin)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw ConfigException.AtLine(origin, (int)e.Start.Line, (int)e.Start.Column, e.Message, e);
        }
        var note = comment.Length == 0 ? "" : "  # " + comment;
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is not YamlScalarNode { Value: null or "" })
                throw new ConfigException("", "is not a mapping of sections", origin);
            return Append(yaml, $"{section}:\n  {table}:\n    {key}: {value}{note}\n");
        }
        var sectionEntry = Find(root, section);
        if (sectionEntry is not { } s) return Append(yaml, $"{section}:\n  {table}:\n    {key}: {value}{note}\n");
        switch (s.Value)
        {
            case YamlScalarNode { Value: null or "" }: // "midi:" with nothing under it
                return Insert(yaml, LineEnd(yaml, (int)s.Key.End.Index), $"\n  {table}:\n    {key}: {value}{note}");
            case YamlMappingNode sectionMap:
                var tableEntry = Find(sectionMap, table);
                if (tableEntry is not { } t)
                {
                    if (sectionMap.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
                        return Insert(yaml, (int)sectionMap.Start.Index + 1, $" {table}: {{ {key}: {value} }},");
                    var first = sectionMap.Children.First().Key;
                    var indent = new string(' ', (int)first.Start.Column - 1);
                    return Insert(yaml, LineStart(yaml, (int)first.Start.Index), $"{indent}{table}:\n{indent}  {key}: {value}{note}\n");
                }
                return SetInTable(yaml, t, key, value, note, origin, $"{section}.{table}");
            default:
                throw new ConfigException(section, "is not a mapping", origin);
        }
    }

    private static string SetInTable(string yaml, (YamlNode Key, YamlNode Value) table, string key, string value, string note, string origin, string where)
    {
        switch (table.Value)
        {
            case YamlScalarNode { Value: null or "" }: // "cc:" with nothing after it
                return Insert(yaml, (int)table.Key.End.Index + 1, $" {{ {key}: {value} }}");
            case YamlMappingNode map:
                if (Find(map, key) is { } existing)
                    return Replace(yaml, (int)existing.Value.Start.Index, (int)existing.Value.End.Index, value);
                if (map.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
                    return Insert(yaml, (int)map.Start.Index + 1, map.Children.Count == 0 ? $" {key}: {value} " : $" {key}: {value},");
                var first = map.Children.First().Key;
                var indent = new string(' ', (int)first.Start.Column - 1);
                return Insert(yaml, LineStart(yaml, (int)first.Start.Index), $"{indent}{key}: {value}{note}\n");
            default:
                throw new ConfigException(where, "is not a mapping", origin);
        }
    }

    private static (YamlNode Key, YamlNode Value)? Find(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
            if (k is YamlScalarNode { Value: { } name } && name == key) return (k, v);
        return null;
    }

    private static string Append(string yaml, string text) =>
        yaml.Length == 0 || yaml.EndsWith('\n') ? yaml + text : yaml + "\n" + text;

    private static string Insert(string yaml, int at, string text) => yaml[..at] + text + yaml[at..];

    private static string Replace(string yaml, int from, int to, string text) => yaml[..from] + text + yaml[to..];

    private static int LineStart(string yaml, int index) => yaml.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;

    private static int LineEnd(string yaml, int index)
    {
        var end = yaml.IndexOf('\n', index);
        if (end < 0) return yaml.Length;
        // before a comment on the same line: "midi:   # notes" -> insert after "midi:"
        var hash = yaml.IndexOf('#', index, end - index);
        return hash < 0 ? end : yaml.LastIndexOf(':', hash) + 1;
    }
}
