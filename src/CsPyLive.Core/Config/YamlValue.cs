using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CsPyLive.Config;

/// <summary>
/// One value of a settings file, with the dotted key it is at (<c>midi.channels.1.instrument</c>) and the file it came
/// from, read as the type a <see cref="YamlSchema{T}"/> asks for. A value of the wrong shape is an error at its line
/// and column that names the key; a required value written empty (<c>keep:</c>) is an error naming the key.
/// No reflection: what each key holds is said by the schema, so the reader is trim- and AOT-safe.
/// </summary>
public readonly struct YamlValue
{
    private readonly YamlNode node;

    internal YamlValue(YamlNode node, string key, string origin)
    {
        this.node = node;
        Key = key;
        Origin = origin;
    }

    /// <summary>The dotted path of this value.</summary>
    public string Key { get; }

    /// <summary>The file (or "command line") it came from.</summary>
    public string Origin { get; }

    /// <summary>True for an empty value, <c>~</c> or an unquoted <c>null</c>.</summary>
    public bool IsNull => node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } s
        && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public string String() => IsNull ? throw NoValue() : Scalar("a text");
    public string? OptionalString() => IsNull ? null : Scalar("a text");

    public int Int() => IsNull ? throw NoValue() : ParseInt(Scalar("a whole number"));
    public int? OptionalInt() => IsNull ? null : ParseInt(Scalar("a whole number"));

    public double Double() => IsNull ? throw NoValue() : ParseDouble(Scalar("a number"));
    public double? OptionalDouble() => IsNull ? null : ParseDouble(Scalar("a number"));

    public bool Bool() => IsNull ? throw NoValue() : ParseBool(Scalar("true or false"));
    public bool? OptionalBool() => IsNull ? null : ParseBool(Scalar("true or false"));

    /// <summary>An enum value written in lower case (<c>score</c>, <c>csound</c>).</summary>
    public TEnum Enum<TEnum>() where TEnum : struct, Enum
    {
        if (IsNull) throw NoValue();
        var text = Scalar("a name");
        foreach (var value in System.Enum.GetValues<TEnum>())
            if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase)) return value;
        var names = string.Join(", ", System.Enum.GetValues<TEnum>().Select(v => v.ToString().ToLowerInvariant()));
        throw Wrong($"'{text}' is not one of {names}");
    }

    /// <summary>A sequence (<c>[1, 2]</c> or <c>- 1</c> lines); each item at <c>key[i]</c>.</summary>
    public List<TItem> List<TItem>(Func<YamlValue, TItem> item)
    {
        if (IsNull) throw NoValue();
        if (node is not YamlSequenceNode sequence) throw Wrong("expected a list ([a, b] or '- a' lines)");
        var list = new List<TItem>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++) list.Add(item(new YamlValue(sequence.Children[i], $"{Key}[{i}]", Origin)));
        return list;
    }

    public List<TItem>? OptionalList<TItem>(Func<YamlValue, TItem> item) => IsNull ? null : List(item);

    /// <summary>A mapping keyed by whole numbers (MIDI channels, controller numbers); each value at <c>key.N</c>.</summary>
    public Dictionary<int, TItem> IntTable<TItem>(Func<YamlValue, TItem> item)
    {
        var table = new Dictionary<int, TItem>();
        foreach (var (keyNode, valueNode) in Mapping())
        {
            var name = ((YamlScalarNode)keyNode).Value ?? "";
            if (!int.TryParse(name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                throw At(keyNode, $"{Key}: '{name}' is not a whole number");
            table[n] = item(new YamlValue(valueNode, $"{Key}.{n}", Origin));
        }
        return table;
    }

    /// <summary>A section or record, read by its schema.</summary>
    public T Record<T>(YamlSchema<T> schema) where T : class, new() => IsNull ? throw NoValue() : schema.Read(this);

    public T? OptionalRecord<T>(YamlSchema<T> schema) where T : class, new() => IsNull ? null : schema.Read(this);

    /// <summary>The key/value pairs of a mapping, keys checked to be plain scalars.</summary>
    internal IEnumerable<(YamlNode Key, YamlNode Value)> Mapping()
    {
        if (IsNull) throw NoValue();
        if (node is not YamlMappingNode mapping) throw Wrong("expected a mapping ('key: value' lines or { key: value })");
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode) throw At(key, $"{(Key.Length == 0 ? "" : Key + ": ")}a key must be a plain name");
            yield return (key, value);
        }
    }

    /// <summary>An error at <paramref name="at"/>'s line and column.</summary>
    internal ConfigException At(YamlNode at, string problem) =>
        ConfigException.AtLine(Origin, (int)at.Start.Line, (int)at.Start.Column, problem);

    private ConfigException Wrong(string problem) => At(node, $"{Key}: {problem}");

    private ConfigException NoValue() => new(Key, "has no value (give one, or leave the key out for the default)", Origin);

    private string Scalar(string what) =>
        node is YamlScalarNode { Value: { } text } ? text : throw Wrong($"expected {what}, not a {(node is YamlSequenceNode ? "list" : "mapping")}");

    private int ParseInt(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Wrong($"'{text}' is not a whole number");

    /// <summary>A number, with YAML's <c>.nan</c>, <c>.inf</c> and <c>-.inf</c> (validators refuse them where they matter).</summary>
    private double ParseDouble(string text) => text switch
    {
        ".nan" or ".NaN" or ".NAN" => double.NaN,
        ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
        "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : throw Wrong($"'{text}' is not a number"),
    };

    private bool ParseBool(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => throw Wrong($"'{text}' is not true or false"),
    };
}
