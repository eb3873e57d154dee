using System.Runtime.InteropServices;

namespace CsPyLive.Python.CPython;

/// <summary>
/// Loads the libpython <see cref="PythonDiscovery"/> chose (CPython 3.10 to 3.13) with <c>RTLD_GLOBAL</c>, so that
/// extension modules Python imports later (numpy's <c>_multiarray_umath</c> and friends) resolve their <c>Py*</c>
/// symbols against it. Thread-safe; loads once.
/// </summary>
/// <remarks>
/// <c>CSPYLIVE_LIBPYTHON</c> names the library outright and wins over everything. Otherwise the interpreter found
/// (--python, VIRTUAL_ENV, python3 on PATH) gives its own shared library, and Python is told it runs as that
/// interpreter (<see cref="ProgramName"/>), so it finds the same standard library and, in a venv, the venv's
/// site-packages. With no interpreter, <see cref="KnownNames"/> for this system, newest first.
/// </remarks>
internal static class PythonLibrary
{
    internal const string Name = "python3";

    private const int RTLD_NOW = 0x2;
    private const int RTLD_GLOBAL = 0x100;

    /// <summary>The names and places libpython has on <paramref name="os"/> (Linux, OSX, Windows), newest version first.</summary>
    internal static IReadOnlyList<string> KnownNames(OSPlatform os)
    {
        var minors = Enumerable.Range(PythonVersions.FirstMinor, PythonVersions.LastMinor - PythonVersions.FirstMinor + 1).Reverse().ToArray();
        if (os == OSPlatform.Windows)
            return minors.SelectMany(m => new[] { $"python3{m}.dll", $@"C:\Program Files\Python3{m}\python3{m}.dll" }).ToArray();
        if (os == OSPlatform.OSX)
            return minors.SelectMany(m => new[]
            {
                $"/opt/homebrew/opt/python@3.{m}/Frameworks/Python.framework/Versions/3.{m}/Python", // Homebrew, Apple silicon
                $"/usr/local/opt/python@3.{m}/Frameworks/Python.framework/Versions/3.{m}/Python",    // Homebrew, Intel
                $"/Library/Frameworks/Python.framework/Versions/3.{m}/Python",                       // python.org installer
                $"libpython3.{m}.dylib",
            }).ToArray();
        return minors.SelectMany(m => new[]
        {
            $"/usr/lib/x86_64-linux-gnu/libpython3.{m}.so.1.0", $"/usr/lib/aarch64-linux-gnu/libpython3.{m}.so.1.0", // Debian, Ubuntu
            $"/usr/lib64/libpython3.{m}.so.1.0", // Fedora, openSUSE
            $"libpython3.{m}.so.1.0",            // ld.so's search (Arch's /usr/lib, LD_LIBRARY_PATH)
        }).ToArray();
    }

    private static OSPlatform ThisSystem =>
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux;

    private static readonly object Gate = new();
    private static nint handle;

    /// <summary>The file that was loaded, once <see cref="Load"/> succeeded.</summary>
    internal static string? LoadedPath { get; private set; }

    /// <summary>The Python it belongs to, once loaded (the interpreter, where one was found).</summary>
    internal static PythonInstall? Install { get; private set; }

    /// <summary>The interpreter path Python should believe it runs as (it derives <c>sys.prefix</c> from it), or null.</summary>
    internal static string? ProgramName => Install?.Executable;

    /// <summary>Loads libpython or throws <see cref="DllNotFoundException"/> saying what was tried and what to install.</summary>
    internal static nint Load()
    {
        lock (Gate)
        {
            if (handle != 0) return handle;
            var tried = new List<string>();
            var errors = new List<string>();
            var env = Environment.GetEnvironmentVariable("CSPYLIVE_LIBPYTHON");
            PythonInstall install;
            try
            {
                install = env is { Length: > 0 } ? new PythonInstall(env, null, 0, "CSPYLIVE_LIBPYTHON") : PythonDiscovery.Find(tried: errors);
            }
            catch (PythonException e)
            {
                throw new DllNotFoundException(e.Message, e);
            }
            var candidates = install.Library.Length > 0 ? [install.Library] : KnownNames(ThisSystem);
            foreach (var candidate in candidates)
            {
                tried.Add(candidate);
                var error = "";
                var h = OperatingSystem.IsWindows() ? TryLoadWindows(candidate) : dlopen(candidate, RTLD_NOW | RTLD_GLOBAL, out error);
                if (h == 0)
                {
                    // A file that is there and does not load is news (another architecture, a broken file); a name not found is not.
                    if (File.Exists(candidate))
                        errors.Add(ElfMachine(candidate) is { } machine && machine != ElfMachineOfProcess
                            ? $"{candidate} is built for {machine}, and this process runs on {ElfMachineOfProcess}"
                            : $"{candidate} exists but does not load ({(error.Length > 0 ? error : "refused")})");
                    continue;
                }
                handle = h;
                LoadedPath = candidate;
                Install = install with { Library = candidate };
                return h;
            }
            throw new DllNotFoundException(
                $"no libpython for CPython {PythonVersions.Supported} could be loaded (" + (install.Source == "known library names"
                    ? "no python3 on PATH; tried " + string.Join(", ", tried) : $"from {install.Source}: {string.Join(", ", tried)}") + ")" +
                (errors.Count > 0 ? ": " + string.Join("; ", errors) : "") + ". " +
                "Install one (Debian/Ubuntu: sudo apt-get install libpython3-dev, or libpython3.X for your python3), point --python at an " +
                "interpreter that has one, or set CSPYLIVE_LIBPYTHON to its path.");
        }
    }

    /// <summary>The machine an ELF file is built for (its header's e_machine), or null for a file that is not ELF.</summary>
    internal static string? ElfMachine(string path)
    {
        Span<byte> header = stackalloc byte[20];
        try
        {
            using var f = File.OpenRead(path);
            if (f.Read(header) < 20 || header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F') return null;
        }
        catch (IOException)
        {
            return null;
        }
        var machine = header[5] == 2 ? header[18] << 8 | header[19] : header[18] | header[19] << 8; // EI_DATA: 1 little-endian, 2 big
        return machine switch { 3 => "x86 (32-bit)", 40 => "ARM (32-bit)", 62 => "x86-64", 183 => "AArch64", 243 => "RISC-V", _ => $"ELF machine {machine}" };
    }

    private static string ElfMachineOfProcess => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "x86-64", Architecture.Arm64 => "AArch64", Architecture.X86 => "x86 (32-bit)", Architecture.Arm => "ARM (32-bit)",
        Architecture.RiscV64 => "RISC-V", var a => a.ToString(),
    };

    private static nint TryLoadWindows(string name) => NativeLibrary.TryLoad(name, out var h) ? h : 0;

    // .NET's NativeLibrary.Load uses RTLD_LOCAL, so call dlopen itself. libdl.so.2 exists on every glibc (a stub
    // forwarding to libc since 2.34); macOS has it in libSystem.
    private static unsafe nint dlopen(string file, int mode, out string error)
    {
        var libdl = NativeLibrary.Load(OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.B.dylib" : "libdl.so.2");
        var open = (delegate* unmanaged<byte*, int, nint>)NativeLibrary.GetExport(libdl, "dlopen");
        var dlerror = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(libdl, "dlerror");
        var bytes = System.Text.Encoding.UTF8.GetBytes(file + "\0");
        nint h;
        fixed (byte* p = bytes) h = open(p, mode);
        error = h == 0 ? Marshal.PtrToStringUTF8((nint)dlerror()) ?? "" : "";
        return h;
    }
}
