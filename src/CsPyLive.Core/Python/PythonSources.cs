using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CsPyLive.Csound;

namespace CsPyLive.Python;

/// <summary>
/// The Python files each engine's orchestra ran (<c>pyexec*</c>): what hot reload watches besides the patch's
/// modules. Noted at init time (when the file is read anyway); taken by the control thread of the engine's show.
/// Per engine, so two shows in one process never watch each other's files.
/// </summary>
public static class PythonSources
{
    private static readonly ConditionalWeakTable<Engine, Sources> ByEngine = new();

    private sealed class Sources
    {
        public readonly ConcurrentDictionary<string, bool> Seen = new(StringComparer.Ordinal);
        public readonly ConcurrentQueue<string> Fresh = new();
    }

    /// <summary>Notes that <paramref name="engine"/>'s orchestra ran <paramref name="path"/>. Any thread.</summary>
    public static void Note(Engine engine, string path)
    {
        var sources = ByEngine.GetValue(engine, _ => new Sources());
        var full = Path.GetFullPath(path);
        if (sources.Seen.TryAdd(full, true)) sources.Fresh.Enqueue(full);
    }

    /// <summary>Files <paramref name="engine"/> ran since the last call. Control thread.</summary>
    public static IEnumerable<string> TakeNew(Engine engine)
    {
        if (!ByEngine.TryGetValue(engine, out var sources)) yield break;
        while (sources.Fresh.TryDequeue(out var p)) yield return p;
    }
}
