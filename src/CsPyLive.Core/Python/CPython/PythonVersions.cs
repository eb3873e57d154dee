namespace CsPyLive.Python.CPython;

/// <summary>
/// The CPython versions the host runs on, and what differs between them. Everything else we use is the same
/// function with the same signature in 3.10, 3.11, 3.12 and 3.13 (checked against each one's exported symbols), and
/// the one field we read, <c>ob_type</c>, sits at the same offset in each (non-free-threaded) build.
/// </summary>
internal static class PythonVersions
{
    public const int FirstMinor = 10, LastMinor = 13;

    public static string Supported => $"3.{FirstMinor} to 3.{LastMinor}";

    /// <summary>The minor version of a version line ("3.12.1 (main, ...)"), or null if not one we run on.</summary>
    public static int? Minor(string version)
    {
        var parts = version.Split(' ')[0].Split('.');
        return parts.Length >= 2 && parts[0] == "3" && int.TryParse(parts[1], out var m) && m is >= FirstMinor and <= LastMinor ? m : null;
    }
}
