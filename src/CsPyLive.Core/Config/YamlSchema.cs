using YamlDotNet.RepresentationModel;

namespace CsPyLive.Config;

/// <summary>
/// The keys a settings record accepts and how each is read: <c>.Key("period", (c, v) =&gt; c with { Period = v.Int() })</c>.
/// Reading starts from <c>new T()</c>, so a key left out keeps its default; a key the schema does not have is an error
/// that lists the keys allowed there (a typo must not silently do nothing on stage). Built once, read-only after.
/// </summary>
public sealed class YamlSchema<T> where T : class, new()
{
    private readonly Dictionary<string, Func<T, YamlValue, T>> keys = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    /// <summary>Adds <paramref name="key"/> (snake_case); <paramref name="apply"/> returns the record with it set.</summary>
    public YamlSchema<T> Key(string key, Func<T, YamlValue, T> apply)
    {
        keys.Add(key, apply);
        order.Add(key);
        return this;
    }

    /// <summary>The keys, in the order they were declared.</summary>
    public IReadOnlyList<string> Keys => order;

    internal T Read(YamlValue value)
    {
        var record = new T();
        foreach (var (keyNode, valueNode) in value.Mapping())
        {
            var name = ((YamlScalarNode)keyNode).Value ?? "";
            if (!keys.TryGetValue(name, out var apply))
                throw value.At(keyNode, $"unknown key '{name}'{(value.Key.Length == 0 ? "" : $" in {value.Key}")} (allowed here: {string.Join(", ", order)})");
            record = apply(record, new YamlValue(valueNode, value.Key.Length == 0 ? name : $"{value.Key}.{name}", value.Origin));
        }
        return record;
    }
}
