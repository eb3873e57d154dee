using System.Runtime.InteropServices;
using System.Text.Json;
using CsPyLive.Audio;
using CsPyLive.Audio.PortAudio;
using CsPyLive.Tests.Jack;
using CsPyLive.Tests.Support;
using static CsPyLive.Audio.PortAudio.Interop.PortAudio;

namespace CsPyLive.Tests.Audio;

/// <summary>
/// The PortAudio backend through PortAudio's JACK host API, against a headless jackd the test starts (this machine
/// has no sound card): what another JACK client hears, how often the callback runs, what the stats say.
/// </summary>
public sealed class PortAudioTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void Plays_through_the_jack_host_api_and_another_client_hears_the_orchestras_sine()
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLiveJit(server.ClientEnvironment, "play", TestData.Path("jack", "sine-ksmps-441.csd"),
            "--audio", "portaudio", "--device", "system", "--duration", "3", "--record", dir.File("ours.wav"),
            "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(server.WaitForActivation("cspylive:out_0", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr + server.Log);
        var rec = server.Tool("jack_rec", "-f", dir.File("peer.wav"), "-d", "1", "cspylive:out_0");
        Assert.True(rec.ExitCode == 0, rec.Output);
        var result = play.Wait(Generous);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("on the portaudio backend (48000 Hz, 256 frames a period, ksmps 441) on JACK Audio Connection Kit device 'system'", result.StdErr);

        // What JACK carried to another client is the orchestra's 440 Hz sine of amplitude 0.3 (880 zero crossings a second).
        var peer = WavFile.Read(dir.File("peer.wav"));
        var x = peer.Samples.Select(s => s / 32768).ToArray();
        Assert.InRange(x.Max(Math.Abs), 0.28, 0.31);
        var crossings = Enumerable.Range(1, x.Length - 1).Count(i => (x[i - 1] < 0) != (x[i] < 0));
        Assert.InRange(crossings * 48000.0 / x.Length, 870, 890);

        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var root = stats.RootElement;
        Assert.Equal(("portaudio", "system", 256), (root.GetProperty("backend").GetString(), root.GetProperty("device").GetString(), root.GetProperty("period").GetInt32()));
        Assert.InRange(root.GetProperty("callbacks").GetInt64(), 3 * 48000 / 256, 3 * 48000 / 256 + 200);
        Assert.Equal(0, root.GetProperty("audio_thread_jit_methods").GetInt64()); // PortAudio's thread compiles nothing either
        Assert.True(root.GetProperty("xruns").GetInt64() * 10 <= root.GetProperty("callbacks").GetInt64(), root.ToString());
        Assert.Equal(3 * 48000, WavFile.Read(dir.File("ours.wav")).Frames);
    }

    /// <summary>Plays the 440 Hz sine through PortAudio's JACK device for <paramref name="seconds"/> while <paramref name="meanwhile"/> happens to the server.</summary>
    private static (ProcessResult Result, WavFile Ours) PlayThrough(JackServer server, TempDir dir, double seconds, Action<BackgroundProcess> meanwhile)
    {
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", TestData.Path("jack", "sine-ksmps-441.csd"),
            "--audio", "portaudio", "--device", "system", "--duration", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--record", dir.File("ours.wav"), "--no-tui");
        Assert.True(server.WaitForActivation("cspylive:out_0", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr + server.Log);
        meanwhile(play);
        var result = play.Wait(Generous);
        Assert.True(result.ExitCode == 0, result.Output);
        return (result, WavFile.Read(dir.File("ours.wav")));
    }

    /// <summary>The engine played on through an outage: its sine continues, sample for sample, for the whole show.</summary>
    private static void AssertUnbrokenSine(WavFile ours, double seconds)
    {
        Assert.Equal((int)(seconds * 48000), ours.Frames);
        for (var n = 0; n < ours.Frames; n += 7)
            Assert.True(Math.Abs(ours.Samples[n * 2] - 0.3 * Math.Sin(2 * Math.PI * 440 * n / 48000.0)) < 1e-3, $"frame {n}");
    }

    [Fact]
    public void A_device_that_stalls_hands_over_to_the_null_clock_and_the_show_returns_to_it()
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        var (result, ours) = PlayThrough(server, dir, 6, play =>
        {
            server.Freeze(TimeSpan.FromMilliseconds(1200)); // no callback for 1.2 s: the device is taken as lost
            Assert.True(play.WaitForStdErr("is back; playing on it again", TimeSpan.FromSeconds(20)), play.StdErr);
            Assert.True(server.WaitForActivation("cspylive:out_0", "system:playback_1", TimeSpan.FromSeconds(10)), play.StdErr);
            var rec = server.Tool("jack_rec", "-f", dir.File("peer.wav"), "-d", "1", "cspylive:out_0");
            Assert.True(rec.ExitCode == 0, rec.Output);
        });
        Assert.Contains("stopped calling back; playing on the null clock", result.StdErr);
        AssertUnbrokenSine(ours, 6);
        Assert.True(WavFile.Read(dir.File("peer.wav")).Peak / 32768 > 0.25, "no sound reached JACK after the device came back");
    }

    [Fact]
    public void A_jack_server_that_dies_under_portaudio_leaves_the_show_on_the_null_clock_to_its_end()
    {
        // PortAudio 19.6's JACK host API waits 10 minutes for a dead server before it lets a stream go: the show must
        // neither hang nor end early, and says what to use instead.
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (result, ours) = PlayThrough(server, dir, 5, _ => server.Kill());
        Assert.InRange(watch.Elapsed.TotalSeconds, 5, 30);
        Assert.Contains("stopped calling back; playing on the null clock", result.StdErr);
        Assert.Contains("--audio jack reconnects by itself", result.StdErr);
        AssertUnbrokenSine(ours, 5);
    }

    [Fact]
    public void An_unknown_device_lists_the_devices_that_exist_and_a_wrong_rate_names_both()
    {
        using (var server = new JackServer())
        {
            var unknown = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "play", TestData.Path("jack", "sine-ksmps-441.csd"),
                "--audio", "portaudio", "--device", "no-such-card", "--duration", "1"], environment: server.ClientEnvironment);
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("no PortAudio device is called 'no-such-card'; there are:", unknown.StdErr);
            Assert.Contains(": system (JACK Audio Connection Kit", unknown.StdErr);
        }
        using var slow = new JackServer(sampleRate: 44100);
        var rate = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "play", TestData.Path("jack", "sine-ksmps-441.csd"),
            "--audio", "portaudio", "--device", "system", "--duration", "1"], environment: slow.ClientEnvironment);
        Assert.Equal(1, rate.ExitCode);
        Assert.Contains("does not run at the orchestra's sr of 48000 Hz (its default rate is 44100 Hz)", rate.StdErr);
    }

    [Fact]
    public void Devices_lists_the_jack_server_and_portaudios_devices_or_says_there_are_none()
    {
        using (var server = new JackServer(period: 512))
        {
            var with = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "devices"], environment: server.ClientEnvironment);
            Assert.True(with.ExitCode == 0, with.Output);
            Assert.Contains($"* server '{server.Name}': 48000 Hz, 512 frames a period (10.7 ms); 2 playback, 2 capture", with.StdOut);
            Assert.Matches(@"\d+: system \(JACK Audio Connection Kit\): 2 in, 2 out, 48000 Hz", with.StdOut);
            Assert.Contains("ASIO needs Windows", with.StdOut);
            Assert.Contains("* a real-time clock with no device", with.StdOut);
        }
        var without = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "devices"],
            environment: new Dictionary<string, string> { ["JACK_DEFAULT_SERVER"] = "cspylive-none-" + Guid.NewGuid().ToString("N")[..8], ["JACK_NO_START_SERVER"] = "1" });
        Assert.True(without.ExitCode == 0, without.Output);
        Assert.Contains("no JACK server is running", without.StdOut);
        Assert.DoesNotContain("JACK Audio Connection Kit", without.StdOut);
        // This machine has no sound card: PortAudio either lists ALSA's software devices or says it found none.
        Assert.Matches(@"(?s)portaudio \(.*\):\n(  PortAudio finds no audio device on this machine|.*\(ALSA\))", without.StdOut);
    }

    /// <summary>Our constants and struct sizes against the installed portaudio.h (portaudio19-dev).</summary>
    [Fact]
    public void Constants_and_sizes_match_the_installed_headers()
    {
        using var dir = new TempDir();
        var source = dir.Write("probe.c", """
            #include <stdio.h>
            #include <portaudio.h>
            int main(void) {
              printf("paNoError %d\n", paNoError); printf("paNotInitialized %d\n", paNotInitialized);
              printf("paUnanticipatedHostError %d\n", paUnanticipatedHostError); printf("paInvalidChannelCount %d\n", paInvalidChannelCount);
              printf("paInvalidSampleRate %d\n", paInvalidSampleRate); printf("paInvalidDevice %d\n", paInvalidDevice);
              printf("paSampleFormatNotSupported %d\n", paSampleFormatNotSupported); printf("paBadIODeviceCombination %d\n", paBadIODeviceCombination);
              printf("paDeviceUnavailable %d\n", paDeviceUnavailable); printf("paNoDevice %d\n", paNoDevice);
              printf("paFormatIsSupported %d\n", paFormatIsSupported); printf("paFramesPerBufferUnspecified %d\n", paFramesPerBufferUnspecified);
              printf("paFloat32 %lu\n", paFloat32); printf("paInt32 %lu\n", paInt32); printf("paInt24 %lu\n", paInt24);
              printf("paInt16 %lu\n", paInt16); printf("paNonInterleaved %lu\n", paNonInterleaved);
              printf("paNoFlag %lu\n", paNoFlag); printf("paClipOff %lu\n", paClipOff); printf("paDitherOff %lu\n", paDitherOff);
              printf("paInputUnderflow %lu\n", paInputUnderflow); printf("paInputOverflow %lu\n", paInputOverflow);
              printf("paOutputUnderflow %lu\n", paOutputUnderflow); printf("paOutputOverflow %lu\n", paOutputOverflow);
              printf("paPrimingOutput %lu\n", paPrimingOutput);
              printf("paContinue %d\n", paContinue); printf("paComplete %d\n", paComplete); printf("paAbort %d\n", paAbort);
              printf("paDirectSound %d\n", paDirectSound); printf("paMME %d\n", paMME); printf("paASIO %d\n", paASIO);
              printf("paCoreAudio %d\n", paCoreAudio); printf("paOSS %d\n", paOSS); printf("paALSA %d\n", paALSA);
              printf("paWDMKS %d\n", paWDMKS); printf("paJACK %d\n", paJACK); printf("paWASAPI %d\n", paWASAPI);
              printf("sizeof_PaHostApiInfo %zu\n", sizeof(PaHostApiInfo)); printf("sizeof_PaDeviceInfo %zu\n", sizeof(PaDeviceInfo));
              printf("sizeof_PaStreamParameters %zu\n", sizeof(PaStreamParameters));
              printf("sizeof_PaStreamCallbackTimeInfo %zu\n", sizeof(PaStreamCallbackTimeInfo));
              printf("sizeof_PaStreamInfo %zu\n", sizeof(PaStreamInfo)); printf("sizeof_PaHostErrorInfo %zu\n", sizeof(PaHostErrorInfo));
              printf("sizeof_PaSampleFormat %zu\n", sizeof(PaSampleFormat));
              return 0;
            }
            """);
        var compile = ProcessRunner.Run("cc", ["-o", dir.File("probe"), source], dir.Path);
        Assert.True(compile.ExitCode == 0, "the C probe did not compile (is portaudio19-dev installed?):\n" + compile.Output);
        var c = ProcessRunner.Run(dir.File("probe"), [], dir.Path).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1]));
        (string Name, long Ours)[] constants =
        [
            ("paNoError", paNoError), ("paNotInitialized", paNotInitialized), ("paUnanticipatedHostError", paUnanticipatedHostError),
            ("paInvalidChannelCount", paInvalidChannelCount), ("paInvalidSampleRate", paInvalidSampleRate), ("paInvalidDevice", paInvalidDevice),
            ("paSampleFormatNotSupported", paSampleFormatNotSupported), ("paBadIODeviceCombination", paBadIODeviceCombination),
            ("paDeviceUnavailable", paDeviceUnavailable), ("paNoDevice", paNoDevice), ("paFormatIsSupported", paFormatIsSupported),
            ("paFramesPerBufferUnspecified", paFramesPerBufferUnspecified), ("paFloat32", paFloat32), ("paInt32", paInt32),
            ("paInt24", paInt24), ("paInt16", paInt16), ("paNonInterleaved", paNonInterleaved), ("paNoFlag", paNoFlag),
            ("paClipOff", paClipOff), ("paDitherOff", paDitherOff), ("paInputUnderflow", paInputUnderflow), ("paInputOverflow", paInputOverflow),
            ("paOutputUnderflow", paOutputUnderflow), ("paOutputOverflow", paOutputOverflow), ("paPrimingOutput", paPrimingOutput),
            ("paContinue", paContinue), ("paComplete", paComplete), ("paAbort", paAbort), ("paDirectSound", paDirectSound), ("paMME", paMME),
            ("paASIO", paASIO), ("paCoreAudio", paCoreAudio), ("paOSS", paOSS), ("paALSA", paALSA), ("paWDMKS", paWDMKS), ("paJACK", paJACK),
            ("paWASAPI", paWASAPI),
        ];
        Assert.All(constants, k => Assert.True(c[k.Name] == k.Ours, $"{k.Name}: header {c[k.Name]}, ours {k.Ours}"));
        Assert.Equal(Marshal.SizeOf<CsPyLive.Audio.PortAudio.Interop.PaHostApiInfo>(), c["sizeof_PaHostApiInfo"]);
        Assert.Equal(Marshal.SizeOf<CsPyLive.Audio.PortAudio.Interop.PaDeviceInfo>(), c["sizeof_PaDeviceInfo"]);
        Assert.Equal(Marshal.SizeOf<CsPyLive.Audio.PortAudio.Interop.PaStreamParameters>(), c["sizeof_PaStreamParameters"]);
        Assert.Equal(Marshal.SizeOf<CsPyLive.Audio.PortAudio.Interop.PaStreamCallbackTimeInfo>(), c["sizeof_PaStreamCallbackTimeInfo"]);
        Assert.Equal(Marshal.SizeOf<CsPyLive.Audio.PortAudio.Interop.PaStreamInfo>(), c["sizeof_PaStreamInfo"]);
        Assert.Equal(Marshal.SizeOf<CsPyLive.Audio.PortAudio.Interop.PaHostErrorInfo>(), c["sizeof_PaHostErrorInfo"]);
        Assert.Equal(Marshal.SizeOf<CULong>(), c["sizeof_PaSampleFormat"]);
    }
}

/// <summary>The PortAudio callback, in this process, allocates nothing with a show's worth of periods behind it.</summary>
[Collection(InProcessJackCollection.Name)]
public sealed class PortAudioAllocationTests
{
    [Fact]
    public void The_stream_callback_allocates_nothing_and_runs_once_a_period()
    {
        const int from = 500, to = 3000;
        using var server = new JackServer(period: 128);
        foreach (var (k, v) in server.ClientEnvironment) NativeEnvironment.Set(k, v);
        using var engine = TestEngines.Start(TestEngines.Csd("instr 1\n a1 poscil 0.2, 440\n outs a1, a1\nendin", "i1 0 600"));
        using var backend = new PortAudioBackend(48000, 2, 0, new PortAudioOptions { Device = "system", PeriodFrames = 128, JackClientName = "cspylive-test" });
        long count = 0, before = 0, allocated = -1;
        using var done = new ManualResetEventSlim();
        var callback = new TestCallback((in AudioBuffers b) =>
        {
            var n = ++count;
            if (n == from) before = GC.GetAllocatedBytesForCurrentThread();
            engine.Process(b.Output, default, b.Frames);
            if (n == to)
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                done.Set();
            }
        });
        var started = DateTime.UtcNow;
        backend.Start(callback);
        Assert.True(done.Wait(TimeSpan.FromSeconds(120)), $"only {count} callbacks ran");
        var elapsed = (DateTime.UtcNow - started).TotalSeconds;
        backend.Stop();
        Assert.Equal(0, allocated);
        Assert.Equal(0, backend.CallbackErrors);
        Assert.Equal(1, callback.Stops);
        // 3000 periods of 128 frames are 8 s at 48 kHz: the callback is paced by the server, not run flat out.
        Assert.InRange(elapsed, 7.0, 60);
    }
}
