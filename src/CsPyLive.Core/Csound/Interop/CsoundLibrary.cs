using System.Runtime.InteropServices;

namespace CsPyLive.Csound.Interop;

/// <summary>
/// Finds libcsound at run time. Debian ships only <c>libcsound64.so.6.0</c> (the unversioned <c>.so</c> comes with the
/// -dev package), Windows <c>csound64.dll</c>, macOS the <c>CsoundLib64</c> framework. Thread-safe; resolves once.
/// </summary>
internal static class CsoundLibrary
{
    internal const string Name = "csound64";

    private static readonly string[] Candidates = OperatingSystem.IsWindows()
        ? ["csound64.dll", @"C:\Program Files\Csound6_x64\bin\csound64.dll"]
        : OperatingSystem.IsMacOS()
            ? ["/Library/Frameworks/CsoundLib64.framework/CsoundLib64", "libcsound64.6.0.dylib", "libcsound64.dylib"]
            : ["libcsound64.so.6.0", "libcsound64.so", "/usr/lib/x86_64-linux-gnu/libcsound64.so.6.0",
               "/usr/lib/aarch64-linux-gnu/libcsound64.so.6.0", "/usr/local/lib/libcsound64.so.6.0"];

    private static nint handle;

    /// <summary>Loads libcsound or throws <see cref="DllNotFoundException"/> with what was tried and how to install it.</summary>
    internal static nint Load()
    {
        if (handle != 0) return handle;
        var env = Environment.GetEnvironmentVariable("CSPYLIVE_LIBCSOUND");
        foreach (var candidate in env is null ? Candidates : [env, .. Candidates])
        {
            if (NativeLibrary.TryLoad(candidate, out var h))
            {
                handle = h;
                return h;
            }
        }
        throw new DllNotFoundException(
            "libcsound 6 was not found (tried " + string.Join(", ", Candidates) + "). " +
            "On Debian/Ubuntu: sudo apt-get install libcsound64-6.0. Or set CSPYLIVE_LIBCSOUND to its path.");
    }
}
