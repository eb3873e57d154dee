using System.Text.RegularExpressions;

namespace CsPyLive.Python.Reload;

/// <summary>
/// The functions and classes a Python file defines at its top level, read from its text (<c>def f</c>, <c>async
/// def f</c>, <c>class C</c> at the start of a line). A reload runs the new file into <c>__main__</c>, so a function
/// deleted from the file stays defined there and keeps answering calls; comparing what the file defined before and
/// after a reload lets the host say so.
/// </summary>
internal static partial class ModuleDefinitions
{
    /// <summary>The names, in file order; empty if the file cannot be read.</summary>
    public static string[] Read(string path)
    {
        try
        {
            return Of(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static string[] Of(string source) =>
        TopLevelDefinition().Matches(source).Select(m => m.Groups[1].Value).Distinct().ToArray();

    [GeneratedRegex(@"^(?:async[ \t]+def|def|class)[ \t]+([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.Multiline)]
    private static partial Regex TopLevelDefinition();
}
