using System.Runtime.InteropServices;

namespace CsPyLive.Tests.Architecture;

/// <summary>The names and places each native library has on Linux, macOS and Windows, and the variable that overrides them.</summary>
public sealed class NativeLibraryNamesTests
{
    [Fact]
    public void Csound_jack_and_portaudio_have_each_systems_names_and_an_override()
    {
        var csound = CsPyLive.Csound.Interop.CsoundLibrary.Finder;
        var jack = CsPyLive.Audio.Jack.Interop.JackLibrary.Finder;
        var portaudio = CsPyLive.Audio.PortAudio.Interop.PortAudioLibrary.Finder;
        Assert.Equal(("CSPYLIVE_LIBCSOUND", "CSPYLIVE_LIBJACK", "CSPYLIVE_LIBPORTAUDIO"), (csound.EnvironmentVariable, jack.EnvironmentVariable, portaudio.EnvironmentVariable));

        Assert.Contains("csound64.dll", csound.CandidatesFor(OSPlatform.Windows));
        Assert.Contains("/Library/Frameworks/CsoundLib64.framework/CsoundLib64", csound.CandidatesFor(OSPlatform.OSX));
        Assert.Contains("/opt/homebrew/opt/csound/Frameworks/CsoundLib64.framework/CsoundLib64", csound.CandidatesFor(OSPlatform.OSX));
        Assert.Equal("libcsound64.so.6.0", csound.CandidatesFor(OSPlatform.Linux)[0]); // the loader's search first
        Assert.Contains("/usr/lib/aarch64-linux-gnu/libcsound64.so.6.0", csound.CandidatesFor(OSPlatform.Linux));
        Assert.Contains("/usr/lib64/libcsound64.so.6.0", csound.CandidatesFor(OSPlatform.Linux));

        Assert.Contains("libjack64.dll", jack.CandidatesFor(OSPlatform.Windows));
        Assert.Contains("/opt/homebrew/lib/libjack.0.dylib", jack.CandidatesFor(OSPlatform.OSX));
        Assert.Contains("/usr/lib/x86_64-linux-gnu/libjack.so.0", jack.CandidatesFor(OSPlatform.Linux));

        Assert.Contains("portaudio.dll", portaudio.CandidatesFor(OSPlatform.Windows));
        Assert.Contains("/opt/homebrew/lib/libportaudio.2.dylib", portaudio.CandidatesFor(OSPlatform.OSX));
        Assert.Contains("/usr/lib/aarch64-linux-gnu/libportaudio.so.2", portaudio.CandidatesFor(OSPlatform.Linux));

        foreach (var finder in new[] { csound, jack, portaudio })
        {
            Assert.DoesNotContain(finder.CandidatesFor(OSPlatform.Linux), n => n.EndsWith(".dll") || n.EndsWith(".dylib"));
            Assert.DoesNotContain(finder.CandidatesFor(OSPlatform.Windows), n => n.Contains(".so") || n.Contains(".dylib"));
            Assert.DoesNotContain(finder.CandidatesFor(OSPlatform.OSX), n => n.Contains(".so") || n.EndsWith(".dll"));
        }
    }

    [Fact]
    public void An_override_that_does_not_load_is_said_and_not_passed_over()
    {
        using var dir = new Support.TempDir();
        var r = Support.ProcessRunner.Run(Support.ProcessRunner.CsPyLiveCommand.Program, [.. Support.ProcessRunner.CsPyLiveCommand.Prefix, "render", Support.TestData.Path("midi", "dc-keys.csd"), "-o", dir.File("x.wav"), "-d", "0.1"],
            environment: new Dictionary<string, string> { ["CSPYLIVE_LIBCSOUND"] = dir.File("no-libcsound.so") });
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"libcsound 6: CSPYLIVE_LIBCSOUND={dir.File("no-libcsound.so")} does not load (no such file)", r.StdErr);
    }
}
