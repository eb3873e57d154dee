using System.Text.Json;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>
/// The program performers run on x86-64 Linux is the NativeAOT build (ADR 0015): nothing is compiled at run time, so
/// neither start-up nor the audio thread waits for a JIT. The rest of the suite runs it too (CSPYLIVE_BINARY); these
/// check that it is that build, that its Python, settings and reload paths survived trimming, and the release folder.
/// </summary>
public sealed class NativeAotTests
{
    private static string Hello => Path.Combine(TestData.RepoRoot, "patches", "hello");

    [Fact]
    public void The_native_binary_plays_hello_compiling_nothing_at_run_time()
    {
        using var dir = new TempDir();
        var r = ProcessRunner.Run(ProcessRunner.NativeBinary, ["play", Hello, "--audio", "null", "--duration", "1",
            "--record", dir.File("out.wav"), "--stats", dir.File("stats.json"), "--no-tui"]);
        Assert.True(r.ExitCode == 0, r.Output);
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var root = stats.RootElement;
        Assert.Equal("native-aot", root.GetProperty("runtime").GetString());
        Assert.Equal(0, root.GetProperty("audio_thread_jit_methods").GetInt64());
        Assert.True(root.GetProperty("startup_ms").GetDouble() > 0, root.ToString()); // its figure is a benchmark's (BENCHMARKS.md), not a test's
        Assert.Equal(48000, WavFile.Read(dir.File("out.wav")).Frames);
        Assert.True(WavFile.Read(dir.File("out.wav")).Peak > 0.05, "hello was silent");
    }

    [Fact]
    public void The_native_binary_runs_python_reads_patch_yaml_and_takes_a_save()
    {
        using var dir = new TempDir();
        var patch = dir.File("tablet");
        CopyDirectory(Path.Combine(TestData.RepoRoot, "patches", "tablet"), patch);
        using var play = new BackgroundProcess(ProcessRunner.NativeBinary, ["play", patch, "--audio", "null", "--duration", "6",
            "--osc-port", "0", "--stats", dir.File("stats.json"), "--no-tui"], null);
        Assert.True(Wait.Until(() => play.StdErr.Contains("Ctrl+C stops."), TimeSpan.FromSeconds(30)), play.StdErr);
        var py = Directory.GetFiles(patch, "*.py").Single();
        File.AppendAllText(py, "\n\ndef added_while_playing():\n    return 1\n");
        Assert.True(Wait.Until(() => play.StdErr.Contains("reload:"), TimeSpan.FromSeconds(10)), play.StdErr);
        File.AppendAllText(py, "\n\ndef broken(:\n");
        var result = play.Wait(TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.Output);
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var reloads = stats.RootElement.GetProperty("reloads").EnumerateArray().ToArray();
        Assert.Equal([true, false], reloads.Select(x => x.GetProperty("ok").GetBoolean()));
        var lines = File.ReadAllLines(py);
        Assert.StartsWith($"tablet.py:{Array.IndexOf(lines, "def broken(:") + 1}: SyntaxError", reloads[1].GetProperty("error").GetString()); // with its line
        Assert.Equal("native-aot", stats.RootElement.GetProperty("runtime").GetString());
    }

    [Fact]
    public void Publish_makes_a_native_linux_build_and_framework_dependent_windows_and_macos_builds()
    {
        using var dir = new TempDir();
        var release = dir.File("release");
        var r = ProcessRunner.Run(Path.Combine(TestData.RepoRoot, "cspylive"), ["publish", release], timeout: TimeSpan.FromMinutes(8));
        Assert.True(r.ExitCode == 0, r.Output);

        var linux = File.ReadAllBytes(Path.Combine(release, "linux-x64", "cspylive"));
        Assert.Equal((byte)0x7f, linux[0]); Assert.Equal((byte)'E', linux[1]); // ELF
        Assert.Equal(62, BitConverter.ToUInt16(linux, 18));                     // e_machine: x86-64
        Assert.True(File.Exists(Path.Combine(release, "linux-x64", "libcspylive_link.so")));
        Assert.False(File.Exists(Path.Combine(release, "linux-x64", "cspylive.dll"))); // native: no assemblies beside it

        var exe = File.ReadAllBytes(Path.Combine(release, "win-x64", "cspylive.exe"));
        Assert.Equal("MZ", System.Text.Encoding.ASCII.GetString(exe, 0, 2));
        var mach = File.ReadAllBytes(Path.Combine(release, "osx-arm64", "cspylive"));
        Assert.Equal(0xFEEDFACFu, BitConverter.ToUInt32(mach, 0));               // Mach-O 64-bit
        Assert.Equal(0x0100000Cu, BitConverter.ToUInt32(mach, 4));               // CPU_TYPE_ARM64
        foreach (var rid in new[] { "win-x64", "osx-arm64" })
        {
            Assert.True(File.Exists(Path.Combine(release, rid, "cspylive.dll")), rid);
            Assert.Contains("\"Microsoft.NETCore.App\"", File.ReadAllText(Path.Combine(release, rid, "cspylive.runtimeconfig.json"))); // framework-dependent
        }
        var readme = File.ReadAllText(Path.Combine(release, "README.txt"));
        foreach (var needs in new[] { "linux-x64/cspylive", "win-x64/cspylive.exe", "osx-arm64/cspylive", ".NET 10 runtime", "libcsound64", "CsoundLib64.framework", "python3XY.dll" })
            Assert.Contains(needs, readme);

        // The Linux build plays from its own folder, with the settings and patches it carries.
        var play = ProcessRunner.Run(Path.Combine(release, "linux-x64", "cspylive"), ["play", "patches/hello", "--audio", "null", "--duration", "0.3", "--no-tui"],
            workingDirectory: Path.Combine(release, "linux-x64"));
        Assert.True(play.ExitCode == 0, play.Output);
        Assert.Contains("hello.csd on the null backend", play.StdErr);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
