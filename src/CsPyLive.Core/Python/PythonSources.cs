using System.Collections.Concurrent;

namespace CsPyLive.Python;

/// <summary>
/// The Python files the orchestra ran (<c>pyexec*</c>) or the patch listed: what hot reload watches. Noted at init
/// time (when the file is read anyway); taken by the control thread.
/// </summary>
public static class PythonSources
{
    private static readonly ConcurrentDictionary<string, bool> Seen = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<string> Fresh = new();

    public static void Note(string path)
    {
        var full = Path.GetFullPath(path);
        if (Seen.TryAdd(full, true)) Fresh.Enqueue(full);
    }

    /// <summary>Files noted since the last call.</summary>
    public static IEnumerable<string> TakeNew()
    {
        while (Fresh.TryDequeue(out var p)) yield return p;
    }
}
