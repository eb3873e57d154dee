using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CsPyLive.Python;
using CsPyLive.Python.CPython;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Python;

/// <summary>Any CPython 3.10 to 3.13, found as a performer has it: --python, a venv, python3 on PATH, known names.</summary>
public sealed class PythonVersionsTests
{
    private const string Orchestra = """
        <CsoundSynthesizer>
        <CsInstruments>
        sr = 48000
        ksmps = 32
        nchnls = 1
        0dbfs = 1
        pyinit
        pyruni {{
        import sys
        def f(x):
            return x * 0.5 + sys.version_info[1] / 100.0
        }}
        instr 1
          k1 pycall1 "f", 0.123456789
          out a(k1)
        endin
        </CsInstruments>
        <CsScore>
        i 1 0 0.05
        </CsScore>
        </CsoundSynthesizer>
        """;

    /// <summary>Every CPython 3.10-3.13 interpreter with a shared library on this machine (pyenv's, the system's).</summary>
    public static TheoryData<string> Interpreters()
    {
        var found = new TheoryData<string>();
        var home = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var candidates = (Directory.Exists(Path.Combine(home, "versions")) ? Directory.GetDirectories(Path.Combine(home, "versions")) : [])
            .Select(d => Path.Combine(d, "bin", "python3")).Append("/usr/bin/python3");
        foreach (var python in candidates.Where(File.Exists))
        {
            try
            {
                PythonDiscovery.FromInterpreter(python, "test");
                found.Add(python);
            }
            catch (PythonException)
            {
                // not 3.10-3.13, or no shared library: not one we run on
            }
        }
        return found;
    }

    [Theory]
    [MemberData(nameof(Interpreters))]
    public void Each_version_runs_pycall_with_exact_doubles(string python)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("v.csd"), Orchestra);
        var r = ProcessRunner.CsPyLive("render", dir.File("v.csd"), "-o", dir.File("v.wav"), "--python", python);
        Assert.True(r.ExitCode == 0, r.Output);
        var minor = PythonDiscovery.FromInterpreter(python, "test").Minor;
        // 0.123456789 arrives whole (no text round trip), and the function ran in that version
        Assert.Equal((float)(0.123456789 * 0.5 + minor / 100.0), (float)WavFile.Read(dir.File("v.wav")).Samples[100]);
    }

    /// <summary>
    /// Each installed version's headers (or, without them, its library's exported symbols) say which vectorcall entry
    /// point is a real exported function there; our choice for that version follows them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Interpreters))]
    public void The_call_chosen_for_each_version_is_the_one_it_exports(string python)
    {
        var install = PythonDiscovery.FromInterpreter(python, "test");
        var prefix = Path.GetDirectoryName(Path.GetDirectoryName(python)!)!;
        var include = new[] { Path.Combine(prefix, "include", $"python3.{install.Minor}"), $"/usr/include/python3.{install.Minor}" }.FirstOrDefault(Directory.Exists);
        Func<string, bool> exported;
        if (include is not null)
        {
            var headers = string.Join("\n", Directory.GetFiles(include, "*.h", SearchOption.AllDirectories).Select(File.ReadAllText));
            exported = name => Regex.IsMatch(headers, @"PyAPI_FUNC\(PyObject \*\)\s*" + name + @"\s*\(");
        }
        else
        {
            var symbols = ProcessRunner.Run("nm", ["-D", "--defined-only", install.Library]).StdOut;
            exported = name => Regex.IsMatch(symbols, @" T " + name + "$", RegexOptions.Multiline);
        }
        var chosen = PyApi.VectorcallSymbol(install.Minor);
        Assert.True(exported(chosen), $"3.{install.Minor}: {chosen} is not an exported function there");
        if (exported("PyObject_Vectorcall")) Assert.Equal("PyObject_Vectorcall", chosen); // the direct one wherever it exists
    }

    [Fact]
    public void A_venv_made_by_the_test_is_used_with_python_and_with_VIRTUAL_ENV()
    {
        using var dir = new TempDir();
        var make = ProcessRunner.Run("python3", ["-m", "venv", "--without-pip", "--system-site-packages", dir.File("venv")]);
        Assert.True(make.ExitCode == 0, make.Output);
        var venvPython = dir.File("venv/bin/python");
        var sitePackages = ProcessRunner.Run(venvPython, ["-c", "import site; print(site.getsitepackages()[0])"]).StdOut.Trim();
        File.WriteAllText(Path.Combine(sitePackages, "venvmod.py"), "def half(x):\n    return x / 2 + 0.25\n");
        File.WriteAllText(dir.File("v.csd"), Orchestra.Replace("import sys", "import sys\nfrom venvmod import half").Replace("pycall1 \"f\"", "pycall1 \"half\""));

        var withFlag = ProcessRunner.CsPyLive("render", dir.File("v.csd"), "-o", dir.File("a.wav"), "--python", venvPython);
        Assert.True(withFlag.ExitCode == 0, withFlag.Output);
        Assert.Equal((float)(0.123456789 / 2 + 0.25), (float)WavFile.Read(dir.File("a.wav")).Samples[100]);

        var withEnv = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "render", dir.File("v.csd"), "-o", dir.File("b.wav")],
            environment: new Dictionary<string, string> { ["VIRTUAL_ENV"] = dir.File("venv"), ["CSPYLIVE_PYTHON"] = "" }); // the suite's own choice comes first
        Assert.True(withEnv.ExitCode == 0, withEnv.Output);
        Assert.Equal((float)(0.123456789 / 2 + 0.25), (float)WavFile.Read(dir.File("b.wav")).Samples[100]);

        var without = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "render", dir.File("v.csd"), "-o", dir.File("c.wav")],
            environment: new Dictionary<string, string> { ["VIRTUAL_ENV"] = "" });
        Assert.Contains("No module named 'venvmod'", without.Output); // the module is in the venv only
    }

    /// <summary>A stand-in interpreter: answers the probe as a Python of that version would, with its library in <paramref name="libdir"/>.</summary>
    private static string FakePython(TempDir dir, string name, int major, int minor, string libdir)
    {
        var path = dir.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" +
            $"echo '{{\"major\": {major}, \"minor\": {minor}, \"version\": \"{major}.{minor}.1\", \"libdir\": \"{libdir}\", \"ldlibrary\": \"libpython{major}.{minor}.so\", " +
            $"\"multiarch\": null, \"instsoname\": null, \"prefix\": \"{dir.Path}\", \"base_prefix\": \"{dir.Path}\", \"executable\": \"{path}\"}}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void Python_is_found_from_each_source_in_order()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("lib"));
        File.WriteAllText(dir.File("lib/libpython3.12.so"), "");
        Directory.CreateDirectory(dir.File("venv/bin"));
        Directory.CreateDirectory(dir.File("path"));
        FakePython(dir, "venv/bin/python", 3, 12, dir.File("lib"));
        FakePython(dir, "path/python3", 3, 12, dir.File("lib"));
        var configured = FakePython(dir, "configured", 3, 12, dir.File("lib"));
        string? Env(string key) => key switch { "VIRTUAL_ENV" => dir.File("venv"), "PATH" => dir.File("path"), _ => null };
        string? Chosen(string key) => key == "CSPYLIVE_PYTHON" ? configured : Env(key);
        string? NoVenv(string key) => key == "PATH" ? dir.File("path") : null;
        lock (typeof(PythonDiscovery))
        {
            try
            {
                PythonDiscovery.Configured = configured;
                Assert.Equal(("--python", configured, dir.File("lib/libpython3.12.so"), 12), Describe(PythonDiscovery.Find(Env)));
                PythonDiscovery.Configured = null;
                Assert.Equal(("CSPYLIVE_PYTHON", configured, dir.File("lib/libpython3.12.so"), 12), Describe(PythonDiscovery.Find(Chosen)));
                Assert.Equal(("VIRTUAL_ENV", dir.File("venv/bin/python"), dir.File("lib/libpython3.12.so"), 12), Describe(PythonDiscovery.Find(Env)));
                Assert.Equal(("python3 on PATH", dir.File("path/python3"), dir.File("lib/libpython3.12.so"), 12), Describe(PythonDiscovery.Find(NoVenv)));
                Assert.Equal(("known library names", null, "", 0), Describe(PythonDiscovery.Find(_ => null)));
            }
            finally
            {
                PythonDiscovery.Configured = null;
            }
        }
        static (string, string?, string, int) Describe(PythonInstall i) => (i.Source, i.Executable, i.Library, i.Minor);
    }

    [Fact]
    public void An_unusable_python3_on_PATH_is_passed_over_for_the_known_names()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("path"));
        FakePython(dir, "path/python3", 3, 9, dir.File("lib"));
        var tried = new List<string>();
        var found = PythonDiscovery.Find(k => k == "PATH" ? dir.File("path") : null, tried);
        Assert.Equal("known library names", found.Source);
        Assert.Contains(tried, t => t.Contains("is Python 3.9.1; CsPyLive needs CPython 3.10 to 3.13"));
    }

    [Theory]
    [InlineData("missing", "--python: no such file")]
    [InlineData("python2", "is Python 2.7.1; CsPyLive needs CPython 3.10 to 3.13")]
    [InlineData("python39", "is Python 3.9.1; CsPyLive needs CPython 3.10 to 3.13")]
    [InlineData("static", "has no shared libpython3.12")]
    [InlineData("ls", "is not a Python interpreter we can ask")]
    public void A_python_that_cannot_be_embedded_is_refused_before_the_show_with_why(string kind, string message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("v.csd"), Orchestra);
        var python = kind switch
        {
            "missing" => dir.File("nothing/python3"),
            "python2" => FakePython(dir, "python2", 2, 7, dir.Path),
            "python39" => FakePython(dir, "python39", 3, 9, dir.Path),
            "static" => FakePython(dir, "static", 3, 12, dir.File("no-such-lib")),
            _ => "/bin/ls",
        };
        var r = ProcessRunner.CsPyLive("render", dir.File("v.csd"), "-o", dir.File("v.wav"), "--python", python);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("command line: --python: ", r.StdErr);
        Assert.Contains(message.Replace("--python: ", ""), r.StdErr);
        Assert.False(File.Exists(dir.File("v.wav")));
    }

    [Fact]
    public void A_libpython_for_another_architecture_is_named_as_such()
    {
        using var dir = new TempDir();
        var system = PythonDiscovery.FromInterpreter("/usr/bin/python3", "test").Library;
        var bytes = File.ReadAllBytes(system);
        bytes[18] = 183; // e_machine: AArch64
        bytes[19] = 0;
        File.WriteAllBytes(dir.File("libpython-arm64.so"), bytes);
        File.WriteAllText(dir.File("v.csd"), Orchestra);
        var r = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "render", dir.File("v.csd"), "-o", dir.File("v.wav")],
            environment: new Dictionary<string, string> { ["CSPYLIVE_LIBPYTHON"] = dir.File("libpython-arm64.so") });
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"{dir.File("libpython-arm64.so")} is built for AArch64, and this process runs on x86-64", r.Output);
    }

    [Fact]
    public void Each_system_has_its_own_library_names_for_every_version()
    {
        var linux = PythonLibrary.KnownNames(OSPlatform.Linux);
        var mac = PythonLibrary.KnownNames(OSPlatform.OSX);
        var windows = PythonLibrary.KnownNames(OSPlatform.Windows);
        foreach (var m in new[] { 10, 11, 12, 13 })
        {
            Assert.Contains($"/usr/lib/x86_64-linux-gnu/libpython3.{m}.so.1.0", linux);
            Assert.Contains($"/usr/lib/aarch64-linux-gnu/libpython3.{m}.so.1.0", linux);
            Assert.Contains($"/opt/homebrew/opt/python@3.{m}/Frameworks/Python.framework/Versions/3.{m}/Python", mac);
            Assert.Contains($"/Library/Frameworks/Python.framework/Versions/3.{m}/Python", mac);
            Assert.Contains($"python3{m}.dll", windows);
            Assert.Contains($"/usr/local/opt/python@3.{m}/Frameworks/Python.framework/Versions/3.{m}/Python", mac);
            Assert.Contains($"/usr/lib64/libpython3.{m}.so.1.0", linux);
        }
        Assert.StartsWith("/usr/lib/x86_64-linux-gnu/libpython3.13", linux[0]); // newest first
        Assert.DoesNotContain(linux.Concat(mac).Concat(windows), n => n.Contains("3.9") || n.Contains("39."));
    }
}
