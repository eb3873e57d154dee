using System.Runtime.InteropServices;

namespace CsPyLive.Native;

/// <summary>
/// Finds one native library at run time, by the names and places it has on each system, newest first, after the
/// path an environment variable gives (which overrides them). Thread-safe; loads once. The candidate lists are a
/// function of the system, so a test on one machine checks all three.
/// </summary>
internal sealed class NativeLibraryFinder(string what, string environmentVariable, Func<OSPlatform, string[]> candidates, string install)
{
    private readonly object gate = new();
    private nint handle;

    /// <summary>The variable whose value, a path, is tried before anything else.</summary>
    public string EnvironmentVariable => environmentVariable;

    /// <summary>The names and places tried on <paramref name="os"/>, in order.</summary>
    public IReadOnlyList<string> CandidatesFor(OSPlatform os) => candidates(os);

    public static OSPlatform ThisSystem =>
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux;

    /// <summary>True once loaded in this process.</summary>
    public bool IsLoaded => Volatile.Read(ref handle) != 0;

    /// <summary>Loads the library or throws <see cref="DllNotFoundException"/> with what was tried and how to install it.</summary>
    public nint Load()
    {
        lock (gate)
        {
            if (handle != 0) return handle;
            var env = Environment.GetEnvironmentVariable(environmentVariable);
            var list = candidates(ThisSystem);
            if (env is { Length: > 0 })
            {
                if (NativeLibrary.TryLoad(env, out var chosen)) return handle = chosen;
                throw new DllNotFoundException($"{what}: {environmentVariable}={env} does not load" +
                    (File.Exists(env) ? " (another architecture, or a library it needs is missing)" : " (no such file)"));
            }
            foreach (var candidate in list)
                if (NativeLibrary.TryLoad(candidate, out var h))
                    return handle = h;
            throw new DllNotFoundException($"{what} was not found (tried {string.Join(", ", list)}). {install} Or set {environmentVariable} to its path.");
        }
    }

    /// <summary>True if the library can be loaded here.</summary>
    public bool IsAvailable()
    {
        try { return Load() != 0; }
        catch (DllNotFoundException) { return false; }
    }

    /// <summary>
    /// Linux's places for a library file: the loader's own search first (LD_LIBRARY_PATH, ld.so.cache: the right
    /// architecture), then the multiarch folders (Debian, Ubuntu), Fedora's lib64 and /usr/local/lib, for a cache
    /// that does not list it.
    /// </summary>
    public static string[] LinuxPlaces(string file) =>
        [file, $"/usr/lib/x86_64-linux-gnu/{file}", $"/usr/lib/aarch64-linux-gnu/{file}", $"/usr/lib64/{file}", $"/usr/local/lib/{file}"];
}
