using System.Runtime.InteropServices;

namespace CsPyLive.Python.CPython;

/// <summary>
/// Finds libpython 3 at run time and loads it with <c>RTLD_GLOBAL</c>, so that extension modules Python imports later
/// (numpy's <c>_multiarray_umath</c> and friends) resolve their <c>Py*</c> symbols against it. Thread-safe; loads once.
/// </summary>
/// <remarks>
/// Debian's <c>python3</c> on PATH may be another build (pyenv): we load the system library by absolute path first and
/// tell Python its program name to match (see <see cref="ProgramName"/>), so it finds the matching standard library.
/// <c>CSPYLIVE_LIBPYTHON</c> overrides the library path.
/// </remarks>
internal static class PythonLibrary
{
    internal const string Name = "python3";

    private const int RTLD_NOW = 0x2;
    private const int RTLD_GLOBAL = 0x100;

    private static readonly string[] Candidates = OperatingSystem.IsWindows()
        ? ["python311.dll", "python312.dll", "python3.dll"]
        : OperatingSystem.IsMacOS()
            ? ["libpython3.11.dylib", "/opt/homebrew/lib/libpython3.11.dylib", "/usr/local/lib/libpython3.11.dylib"]
            : ["/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "/usr/lib/aarch64-linux-gnu/libpython3.11.so.1.0",
               "libpython3.11.so.1.0", "libpython3.11.so"];

    private static readonly object Gate = new();
    private static nint handle;

    /// <summary>The file that was loaded, once <see cref="Load"/> succeeded.</summary>
    internal static string? LoadedPath { get; private set; }

    /// <summary>
    /// The interpreter path Python should believe it runs as (it derives <c>sys.prefix</c> from it), or null to let
    /// it search. For a library under <c>PREFIX/lib[/triplet]</c> that is <c>PREFIX/bin/python3.11</c>.
    /// </summary>
    internal static string? ProgramName
    {
        get
        {
            if (LoadedPath is null || !Path.IsPathRooted(LoadedPath)) return null;
            var dir = Path.GetDirectoryName(LoadedPath);
            while (dir is not null && Path.GetFileName(dir) != "lib") dir = Path.GetDirectoryName(dir);
            var prefix = dir is null ? null : Path.GetDirectoryName(dir);
            var exe = prefix is null ? null : Path.Combine(prefix, "bin", "python3.11");
            return exe is not null && File.Exists(exe) ? exe : null;
        }
    }

    /// <summary>Loads libpython or throws <see cref="DllNotFoundException"/> saying what was tried.</summary>
    internal static nint Load()
    {
        lock (Gate)
        {
            if (handle != 0) return handle;
            var env = Environment.GetEnvironmentVariable("CSPYLIVE_LIBPYTHON");
            foreach (var candidate in env is null ? Candidates : [env, .. Candidates])
            {
                var h = OperatingSystem.IsWindows() ? TryLoadWindows(candidate) : dlopen(candidate, RTLD_NOW | RTLD_GLOBAL);
                if (h == 0) continue;
                handle = h;
                LoadedPath = candidate;
                return h;
            }
        }
        throw new DllNotFoundException(
            "libpython 3.11 was not found (tried " + string.Join(", ", Candidates) + "). " +
            "On Debian/Ubuntu: sudo apt-get install libpython3.11. Or set CSPYLIVE_LIBPYTHON to its path.");
    }

    private static nint TryLoadWindows(string name) => NativeLibrary.TryLoad(name, out var h) ? h : 0;

    // .NET's NativeLibrary.Load uses RTLD_LOCAL, so call dlopen itself. libdl.so.2 exists on every glibc (a stub
    // forwarding to libc since 2.34); macOS has it in libSystem.
    private static unsafe nint dlopen(string file, int mode)
    {
        var libdl = NativeLibrary.Load(OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.B.dylib" : "libdl.so.2");
        var open = (delegate* unmanaged<byte*, int, nint>)NativeLibrary.GetExport(libdl, "dlopen");
        var bytes = System.Text.Encoding.UTF8.GetBytes(file + "\0");
        fixed (byte* p = bytes) return open(p, mode);
    }
}
