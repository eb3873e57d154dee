using System.Runtime.InteropServices;

namespace CsPyLive.Audio.Jack.Interop;

/// <summary>
/// Finds libjack at run time: Debian's libjack-jackd2-0 ships only <c>libjack.so.0</c> (the unversioned <c>.so</c>
/// comes with the -dev package), macOS (Homebrew, JackOSX) <c>libjack.0.dylib</c>, Windows (JACK2 installer)
/// <c>libjack64.dll</c>. Registered with <see cref="NativeLibraryResolver"/> by <see cref="Jack"/>'s static
/// constructor. Thread-safe; resolves once.
/// </summary>
internal static class JackLibrary
{
    internal const string Name = "jack";

    private static readonly string[] Candidates = OperatingSystem.IsWindows()
        ? ["libjack64.dll", @"C:\Program Files\JACK2\lib\libjack64.dll", "libjack.dll"]
        : OperatingSystem.IsMacOS()
            ? ["libjack.0.dylib", "libjack.dylib", "/opt/homebrew/lib/libjack.0.dylib", "/usr/local/lib/libjack.0.dylib"]
            : ["libjack.so.0", "libjack.so", "/usr/lib/x86_64-linux-gnu/libjack.so.0",
               "/usr/lib/aarch64-linux-gnu/libjack.so.0", "/usr/local/lib/libjack.so.0"];

    private static nint handle;

    /// <summary>True once libjack has been loaded in this process.</summary>
    internal static bool IsLoaded => handle != 0;

    /// <summary>Loads libjack or throws <see cref="DllNotFoundException"/> with what was tried and how to install it.</summary>
    internal static nint Load()
    {
        if (handle != 0) return handle;
        var env = Environment.GetEnvironmentVariable("CSPYLIVE_LIBJACK");
        foreach (var candidate in env is null ? Candidates : [env, .. Candidates])
        {
            if (NativeLibrary.TryLoad(candidate, out var h))
            {
                handle = h;
                return h;
            }
        }
        throw new DllNotFoundException(
            "libjack was not found (tried " + string.Join(", ", Candidates) + "). " +
            "On Debian/Ubuntu: sudo apt-get install jackd2 libjack-jackd2-0. Or set CSPYLIVE_LIBJACK to its path.");
    }

    /// <summary>True if libjack can be loaded here (no exception).</summary>
    internal static bool IsAvailable()
    {
        try { return Load() != 0; }
        catch (DllNotFoundException) { return false; }
    }
}
