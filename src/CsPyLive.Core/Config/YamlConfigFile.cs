using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CsPyLive.Config;

/// <summary>
/// Reads a YAML settings file into a typed record: keys are snake_case, enum values lower case, and a key the record
/// does not have is an error naming the keys that are allowed there (a typo must not silently do nothing on stage).
/// The only place the project reads YAML. Control thread.
/// </summary>
public static partial class YamlConfigFile
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithEnumNamingConvention(LowerCaseNamingConvention.Instance)
        .WithDuplicateKeyChecking() // a key given twice is an error: the last one silently winning hid the first
        .Build();

    /// <summary>Reads <paramref name="path"/>; throws <see cref="ConfigException"/> naming it.</summary>
    public static T Read<T>(string path) where T : class, new()
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
        return Parse<T>(text, path);
    }

    /// <summary>Parses YAML text from <paramref name="origin"/> (empty text: defaults). Throws <see cref="ConfigException"/>.</summary>
    public static T Parse<T>(string yaml, string origin) where T : class, new()
    {
        try
        {
            var result = Deserializer.Deserialize<T?>(yaml) ?? new T();
            RequireValues(result, "");
            return result;
        }
        catch (YamlException e)
        {
            throw ConfigException.AtLine(origin, (int)e.Start.Line, (int)e.Start.Column, Explain(e), e);
        }
        catch (ConfigException e)
        {
            throw e.In(origin);
        }
    }

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>
    /// A key written with no value (<c>keep:</c>, <c>routes:</c>) reads as null where the record has a list, a table
    /// or a section that is never null: found by a fuzz as a NullReferenceException. Said instead, naming the key.
    /// </summary>
    private static void RequireValues(object record, string prefix)
    {
        var type = record.GetType();
        if (type.Assembly != typeof(YamlConfigFile).Assembly) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var key = prefix + UnderscoredNamingConvention.Instance.Apply(property.Name);
            var value = property.GetValue(record);
            if (value is null)
            {
                if (!property.PropertyType.IsValueType && Nullability.Create(property).ReadState == NullabilityState.NotNull)
                    throw new ConfigException(key, "has no value (give one, or leave the key out for the default)");
                continue;
            }
            switch (value)
            {
                case string:
                    break;
                case System.Collections.IDictionary table:
                    foreach (System.Collections.DictionaryEntry entry in table)
                    {
                        if (entry.Value is null) throw new ConfigException($"{key}.{entry.Key}", "has no value");
                        RequireValues(entry.Value, $"{key}.{entry.Key}.");
                    }
                    break;
                case System.Collections.IList list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is null) throw new ConfigException($"{key}[{i}]", "has no value");
                        RequireValues(list[i]!, $"{key}[{i}].");
                    }
                    break;
                default:
                    RequireValues(value, key + ".");
                    break;
            }
        }
    }

    /// <summary>What went wrong, in the file's terms rather than our types'.</summary>
    private static string Explain(YamlException e)
    {
        var innermost = e;
        while (innermost.InnerException is YamlException deeper) innermost = deeper;
        if (UnknownProperty().Match(innermost.Message) is { Success: true } m)
        {
            var allowed = AllowedKeys(m.Groups[2].Value);
            return $"unknown key '{m.Groups[1].Value}'" + (allowed is null ? "" : $" (allowed here: {allowed})");
        }
        if (DuplicateKey().Match(innermost.Message) is { Success: true } d)
            return $"duplicate key '{d.Groups[1].Value}' (a key may be given once here)";
        var cause = innermost.InnerException is { } i ? $" ({i.Message})" : "";
        return innermost.Message + cause;
    }

    /// <summary>The snake_case keys a record of ours accepts, from its type's full name; null if it is not ours.</summary>
    private static string? AllowedKeys(string typeName)
    {
        var type = typeof(YamlConfigFile).Assembly.GetType(typeName);
        if (type is null) return null;
        var keys = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => UnderscoredNamingConvention.Instance.Apply(p.Name));
        return string.Join(", ", keys);
    }

    [GeneratedRegex(@"^Encountered duplicate key (.*)$")]
    private static partial Regex DuplicateKey();

    [GeneratedRegex(@"Property '([^']*)' not found on type '([^']*)'")]
    private static partial Regex UnknownProperty();
}
