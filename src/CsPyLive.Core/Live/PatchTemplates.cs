using System.Text.RegularExpressions;

namespace CsPyLive.Live;

/// <summary>
/// <c>cspylive new NAME --template keys|tablet|generative</c>: a patch folder that plays at once, with a commented
/// CSD, a Python module it calls (saved while playing, it reloads) and a <c>patch.yaml</c>. The templates are files
/// in Live/Templates, embedded; NAME replaces the word NAME in them.
/// </summary>
public static partial class PatchTemplates
{
    public static IReadOnlyList<string> Names => ["keys", "tablet", "generative"];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex PatchName();

    /// <summary>Makes <paramref name="folder"/> (its last part is the name); returns the files made. Throws <see cref="ArgumentException"/> saying why not.</summary>
    public static IReadOnlyList<string> Create(string folder, string template)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        if (!PatchName().IsMatch(name))
            throw new ArgumentException($"'{name}' cannot name a patch: a letter, then letters, digits, '-' or '_' (it names the .csd and the Python module)");
        if (name.Contains('-')) throw new ArgumentException($"'{name}': Python cannot import a module with '-' in its name; use '_'");
        if (!Names.Contains(template)) throw new ArgumentException($"no template '{template}' (there are {string.Join(", ", Names)})");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new ArgumentException($"{folder} exists and is not empty; nothing was written");
        Directory.CreateDirectory(folder);
        var made = new List<string>();
        foreach (var (extension, file) in new[] { (".csd", $"{name}.csd"), (".py", $"{name}.py"), (".yaml", "patch.yaml") })
        {
            var path = Path.Combine(folder, file);
            File.WriteAllText(path, Regex.Replace(Read(template + extension), @"\bNAME\b", name));
            made.Add(path);
        }
        return made;
    }

    private static string Read(string resource)
    {
        using var stream = typeof(PatchTemplates).Assembly.GetManifestResourceStream("templates/" + resource)
            ?? throw new InvalidOperationException($"template file {resource} is not in this build");
        return new StreamReader(stream).ReadToEnd();
    }
}
