using System.Runtime.InteropServices;
using CsPyLive.Native;

namespace CsPyLive.Csound.Interop;

/// <summary>
/// Finds libcsound at run time. Debian ships only <c>libcsound64.so.6.0</c> (the unversioned <c>.so</c> comes with the
/// -dev package), Windows <c>csound64.dll</c>, macOS the <c>CsoundLib64</c> framework. Thread-safe; resolves once.
/// </summary>
internal static class CsoundLibrary
{
    internal const string Name = "csound64";

    internal static readonly NativeLibraryFinder Finder = new("libcsound 6", "CSPYLIVE_LIBCSOUND", os =>
        os == OSPlatform.Windows ? ["csound64.dll", @"C:\Program Files\Csound6_x64\bin\csound64.dll"]
        : os == OSPlatform.OSX
            ? ["/Library/Frameworks/CsoundLib64.framework/CsoundLib64",                              // the Csound installer
               "/opt/homebrew/opt/csound/Frameworks/CsoundLib64.framework/CsoundLib64",             // Homebrew, Apple silicon
               "/usr/local/opt/csound/Frameworks/CsoundLib64.framework/CsoundLib64",                // Homebrew, Intel
               "libcsound64.6.0.dylib", "libcsound64.dylib"]
            : [.. NativeLibraryFinder.LinuxPlaces("libcsound64.so.6.0"), "libcsound64.so"],
        "On Debian/Ubuntu: sudo apt-get install libcsound64-6.0; macOS: the Csound 6 installer or brew install csound; Windows: the Csound 6 installer.");

    /// <summary>Loads libcsound or throws <see cref="DllNotFoundException"/> with what was tried and how to install it.</summary>
    internal static nint Load() => Finder.Load();
}
