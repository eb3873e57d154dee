using System.Runtime.InteropServices;
using CsPyLive.Native;

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

    internal static readonly NativeLibraryFinder Finder = new("libjack", "CSPYLIVE_LIBJACK", os =>
        os == OSPlatform.Windows ? ["libjack64.dll", @"C:\Program Files\JACK2\lib\libjack64.dll", "libjack.dll"]
        : os == OSPlatform.OSX
            ? ["/opt/homebrew/lib/libjack.0.dylib", "/usr/local/lib/libjack.0.dylib", "libjack.0.dylib", "libjack.dylib"]
            : [.. NativeLibraryFinder.LinuxPlaces("libjack.so.0"), "libjack.so"],
        "On Debian/Ubuntu: sudo apt-get install jackd2 libjack-jackd2-0; macOS: brew install jack; Windows: the JACK2 installer.");

    /// <summary>True once libjack has been loaded in this process.</summary>
    internal static bool IsLoaded => Finder.IsLoaded;

    /// <summary>Loads libjack or throws <see cref="DllNotFoundException"/> with what was tried and how to install it.</summary>
    internal static nint Load() => Finder.Load();

    /// <summary>True if libjack can be loaded here (no exception).</summary>
    internal static bool IsAvailable() => Finder.IsAvailable();
}
