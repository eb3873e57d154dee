using System.Runtime.InteropServices;
using CsPyLive.Native;

namespace CsPyLive.Sync.Link;

/// <summary>
/// Finds <c>libcspylive_link</c>, our C shim over Ableton Link (native/link, built by scripts/build-link-shim.sh into
/// <c>artifacts/native</c>): the path in <c>CSPYLIVE_LINK_LIBRARY</c>, else next to the executable, else in
/// <c>artifacts/native</c> of the checkout the program runs from (any folder above it), else the loader's own search.
/// Registered with <see cref="NativeLibraryResolver"/> by <see cref="LinkNative"/>'s static constructor. Thread-safe;
/// resolves once.
/// </summary>
internal static class LinkLibrary
{
    internal const string Name = "cspylive_link";

    internal const string EnvironmentVariable = "CSPYLIVE_LINK_LIBRARY";

    internal static readonly NativeLibraryFinder Finder = new("the Ableton Link shim", EnvironmentVariable,
        os => Places(FileName(os), AppContext.BaseDirectory, Environment.ProcessPath),
        "Build it with scripts/build-link-shim.sh (it needs: sudo apt-get install g++ ableton-link-dev libasio-dev).");

    /// <summary>The shim's file name on <paramref name="os"/>.</summary>
    internal static string FileName(OSPlatform os) =>
        os == OSPlatform.Windows ? "cspylive_link.dll" : os == OSPlatform.OSX ? "libcspylive_link.dylib" : "libcspylive_link.so";

    /// <summary>
    /// Where <paramref name="file"/> is looked for, in order: the folder of the program's assemblies and of its
    /// executable (a published or NativeAOT build carries the shim next to it), then <c>artifacts/native</c> under each
    /// folder above those (a program run from the checkout: bin/Release/net10.0 is five levels down), then the bare
    /// name for the loader (LD_LIBRARY_PATH).
    /// </summary>
    internal static string[] Places(string file, string baseDirectory, string? processPath)
    {
        var starts = new List<string>();
        if (baseDirectory.Length > 0) starts.Add(Path.GetFullPath(baseDirectory));
        if (Path.GetDirectoryName(processPath) is { Length: > 0 } exeDir && !starts.Contains(Path.GetFullPath(exeDir)))
            starts.Add(Path.GetFullPath(exeDir));
        var places = new List<string>();
        foreach (var start in starts) places.Add(Path.Combine(start, file));
        foreach (var start in starts)
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "artifacts", "native", file);
                if (!places.Contains(candidate)) places.Add(candidate);
            }
        places.Add(file);
        return [.. places];
    }

    /// <summary>Loads the shim or throws <see cref="DllNotFoundException"/> saying what was tried and how to build it.</summary>
    internal static nint Load() => Finder.Load();

    /// <summary>True if the shim can be loaded here (no exception).</summary>
    internal static bool IsAvailable() => Finder.IsAvailable();
}
