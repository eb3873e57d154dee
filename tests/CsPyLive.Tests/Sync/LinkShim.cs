using CsPyLive.Sync.Link;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// The Ableton Link shim of this checkout, built (scripts/build-link-shim.sh: only if stale) before the first Link
/// test, and the C probe (link_probe.c) compiled against it. Builds once per test run.
/// </summary>
public static class LinkShim
{
    private static readonly Lazy<string> Library = new(Build);
    private static readonly Lazy<string> ProbeProgram = new(CompileProbe);

    /// <summary>The checkout: the folder above the tests that holds native/link.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>artifacts/native/libcspylive_link.so, built if it was missing or stale.</summary>
    public static string LibraryPath => Library.Value;

    /// <summary>The compiled link_probe (see link_probe.c for what it prints and reads).</summary>
    public static string Probe => ProbeProgram.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "native", "link", "cspylive_link.cpp"))) return dir.FullName;
        throw new InvalidOperationException($"no native/link/cspylive_link.cpp above {AppContext.BaseDirectory}");
    }

    private static string Build()
    {
        var build = ProcessRunner.Run(Path.Combine(Root, "scripts", "build-link-shim.sh"), [], Root, TimeSpan.FromMinutes(3));
        Assert.True(build.ExitCode == 0, "scripts/build-link-shim.sh failed:\n" + build.Output);
        var path = build.StdOut.Trim();
        Assert.True(File.Exists(path), build.Output);
        return path;
    }

    private static string CompileProbe()
    {
        var lib = LibraryPath;
        var libDir = Path.GetDirectoryName(lib)!;
        // Next to the tests, compiled under a temporary name and renamed: another test run may be compiling it too.
        var dir = AppContext.BaseDirectory;
        var exe = Path.Combine(dir, "link_probe");
        var tmp = Path.Combine(dir, $".link_probe.{Environment.ProcessId}");
        var source = Path.Combine(Root, "tests", "CsPyLive.Tests", "Sync", "link_probe.c");
        var cc = ProcessRunner.Run("cc", ["-O2", "-Wall", "-o", tmp, source, "-I", Path.Combine(Root, "native", "link"),
            "-L", libDir, "-lcspylive_link", $"-Wl,-rpath,{libDir}", "-pthread"], dir);
        Assert.True(cc.ExitCode == 0, "link_probe.c did not compile:\n" + cc.Output);
        File.Move(tmp, exe, overwrite: true);
        return exe;
    }

    /// <summary>Points the C# binding (in this process) at the shim just built.</summary>
    public static void UseInThisProcess() =>
        Environment.SetEnvironmentVariable(LinkLibrary.EnvironmentVariable, LibraryPath);
}
