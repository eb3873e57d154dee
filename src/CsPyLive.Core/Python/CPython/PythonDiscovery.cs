using System.Diagnostics;
using System.Text.Json;

namespace CsPyLive.Python.CPython;

/// <summary>A Python to embed: its shared library and, when known, the interpreter it belongs to.</summary>
/// <param name="Library">The libpython file to load (a path, or a name the loader searches for).</param>
/// <param name="Executable">The interpreter (a venv's own <c>bin/python</c> for a venv): Python is told it runs as this,
/// so it finds the same standard library and site-packages; the reload compiler runs it. Null for a bare library.</param>
/// <param name="Minor">3.<c>Minor</c>; 0 when only the library is known (its version is read once loaded).</param>
/// <param name="Source">Where it was found: "--python", "VIRTUAL_ENV", "python3 on PATH", "known library names".</param>
public sealed record PythonInstall(string Library, string? Executable, int Minor, string Source);

/// <summary>
/// Which Python the host embeds, in this order: <c>--python PATH</c> (or <c>python.executable</c> in
/// config/cspylive.yaml), <c>$CSPYLIVE_PYTHON</c> (the same for a whole process tree, e.g. the test suite), <c>$VIRTUAL_ENV</c>, <c>python3</c> on PATH, then the libraries' known names. An interpreter
/// is asked for its version, <c>sysconfig</c>'s LIBDIR and LDLIBRARY, <c>sys.prefix</c> and <c>sys.base_prefix</c>.
/// </summary>
public static class PythonDiscovery
{
    /// <summary>What an interpreter says of itself, one JSON line; works on Python 2 too, to refuse it by name.</summary>
    internal const string Probe =
        "import sys, json, sysconfig as s; v = s.get_config_var; " +
        "print(json.dumps(dict(major=sys.version_info[0], minor=sys.version_info[1], version=sys.version.split()[0], " +
        "libdir=v('LIBDIR'), ldlibrary=v('LDLIBRARY'), multiarch=v('MULTIARCH'), instsoname=v('INSTSONAME'), " +
        "prefix=sys.prefix, base_prefix=getattr(sys, 'base_prefix', sys.prefix), executable=sys.executable)))";

    /// <summary>The interpreter given with --python or in the host config; set once, before Python loads.</summary>
    public static string? Configured { get; set; }

    /// <summary>
    /// The Python to embed. Throws <see cref="PythonException"/> when an interpreter that was named (--python or
    /// VIRTUAL_ENV) cannot be used, saying why; an unusable <c>python3</c> on PATH is passed over (returns the known
    /// names then), since nobody chose it.
    /// </summary>
    public static PythonInstall Find(Func<string, string?>? environment = null, List<string>? tried = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        tried ??= [];
        if (Configured is { } configured) return FromInterpreter(configured, "--python", tried);
        if (environment("CSPYLIVE_PYTHON") is { Length: > 0 } chosen) return FromInterpreter(chosen, "CSPYLIVE_PYTHON", tried);
        if (environment("VIRTUAL_ENV") is { Length: > 0 } venv) return FromInterpreter(VenvPython(venv), "VIRTUAL_ENV", tried);
        if (OnPath(OperatingSystem.IsWindows() ? "python.exe" : "python3", environment("PATH")) is { } python3)
        {
            try
            {
                return FromInterpreter(python3, "python3 on PATH", tried);
            }
            catch (PythonException e)
            {
                tried.Add(e.Message);
            }
        }
        return new PythonInstall("", null, 0, "known library names");
    }

    /// <summary>A venv's interpreter: <c>bin/python</c> (Scripts\python.exe on Windows).</summary>
    public static string VenvPython(string venv) =>
        OperatingSystem.IsWindows() ? Path.Combine(venv, "Scripts", "python.exe") : Path.Combine(venv, "bin", "python");

    /// <summary>Asks an interpreter where its shared library is; throws <see cref="PythonException"/> saying what is wrong.</summary>
    public static PythonInstall FromInterpreter(string interpreter, string source, List<string>? tried = null)
    {
        string Fail(string why) => $"{source}: {interpreter}: {why}";
        if (!File.Exists(interpreter)) throw new PythonException(Fail("no such file"));
        string output;
        try
        {
            var info = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-E"); // no PYTHON* variables (-I would say the same, but Python 2 must answer too, to be named)
            info.ArgumentList.Add("-s"); // no user site-packages
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(Probe);
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(15000))
            {
                p.Kill();
                throw new PythonException(Fail("did not answer within 15 s"));
            }
            output = stdout.Result.Trim();
            if (p.ExitCode != 0 || output.Length == 0)
                throw new PythonException(Fail($"is not a Python interpreter we can ask (exit {p.ExitCode}: {Shorten(stderr.Result.Trim().Split('\n')[^1])})"));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PythonException(Fail($"cannot be run ({e.Message})"));
        }
        JsonElement o;
        try
        {
            o = JsonDocument.Parse(output.Split('\n')[^1]).RootElement;
        }
        catch (JsonException)
        {
            throw new PythonException(Fail($"answered something else than a Python would: {output.Split('\n')[^1]}"));
        }
        var major = o.GetProperty("major").GetInt32();
        var minor = o.GetProperty("minor").GetInt32();
        var version = o.GetProperty("version").GetString();
        if (major != 3 || minor is < PythonVersions.FirstMinor or > PythonVersions.LastMinor)
            throw new PythonException(Fail($"is Python {version}; CsPyLive needs CPython {PythonVersions.Supported}"));
        string? Text(string key) => o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var libdir = Text("libdir") ?? "";
        var names = new[] { Text("ldlibrary"), Text("instsoname"), $"libpython3.{minor}.so.1.0", $"libpython3.{minor}.so", $"libpython3.{minor}.dylib", $"python3{minor}.dll" }
            .OfType<string>().Where(n => !n.EndsWith(".a", StringComparison.Ordinal)).Distinct();
        var dirs = new[] { libdir, Text("multiarch") is { } m ? Path.Combine(libdir, m) : null, Path.Combine(Text("base_prefix") ?? "", "lib"),
            Path.GetDirectoryName(Text("executable") ?? "") }.OfType<string>().Where(d => d.Length > 0).Distinct().ToList();
        foreach (var dir in dirs)
            foreach (var name in names)
            {
                var path = Path.Combine(dir, name);
                tried?.Add(path);
                if (File.Exists(path)) return new PythonInstall(path, Text("executable") is { Length: > 0 } exe ? exe : interpreter, minor, source);
            }
        throw new PythonException(Fail($"is Python {version} but has no shared libpython3.{minor} (looked in {string.Join(", ", dirs)}): " +
            $"it was built without --enable-shared. Install one that has it (Debian/Ubuntu: apt-get install libpython3.{minor}; pyenv: " +
            $"PYTHON_CONFIGURE_OPTS=--enable-shared pyenv install {version})"));
    }

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..120] + "...";

    private static string? OnPath(string name, string? path)
    {
        foreach (var dir in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
