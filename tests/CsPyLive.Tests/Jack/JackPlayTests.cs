using System.Text.Json;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Jack;

/// <summary>`cspylive play --audio jack` against a real headless jackd, observed by JACK's own tools.</summary>
public sealed class JackPlayTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private static string Hello => Path.Combine(TestData.RepoRoot, "patches", "hello");

    [Fact]
    public void Registers_ports_connects_them_and_another_client_hears_the_audio()
    {
        using var server = new JackServer();
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLiveJit(server.ClientEnvironment, "play", Hello, "--audio", "jack", "--duration", "4",
            "--record", dir.File("ours.wav"), "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(server.WaitForPort("cspylive:out_2", TimeSpan.FromSeconds(30)), play.StdErr);

        var connections = server.WaitForConnection("cspylive:out_2", "system:playback_2", TimeSpan.FromSeconds(10));
        Assert.Contains("cspylive:out_1\n   system:playback_1", connections);
        Assert.Contains("cspylive:out_2\n   system:playback_2", connections);
        // hello asks for no audio input (no -iadc), so, as in Csound, no input is opened: no ports, no capture.
        Assert.DoesNotContain("cspylive:in_", server.Tool("jack_lsp").StdOut);
        // An independent client records our ports while the hello chord rings.
        var rec = server.Tool("jack_rec", "-f", dir.File("peer.wav"), "-d", "1", "cspylive:out_1", "cspylive:out_2");
        Assert.True(rec.ExitCode == 0, rec.Output);

        var result = play.Wait(Generous);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("on the jack backend", result.StdErr);
        var peer = WavFile.Read(dir.File("peer.wav"));
        Assert.Equal(2, peer.Channels);
        Assert.True(peer.Peak / 32768 > 0.02, $"the peer recorded silence (peak {peer.Peak / 32768})");
        var ours = WavFile.Read(dir.File("ours.wav"));
        Assert.Equal(4 * 48000, ours.Frames);
        Assert.True(ours.Peak > 0.05);

        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var root = stats.RootElement;
        Assert.Equal("jack", root.GetProperty("backend").GetString());
        Assert.Equal(256, root.GetProperty("period").GetInt32());
        Assert.Equal(48000, root.GetProperty("sample_rate").GetInt32());
        // A light orchestra on a dummy server: xruns, if any, are rare (the test below shows that they are counted).
        Assert.True(root.GetProperty("xruns").GetInt64() * 10 <= root.GetProperty("callbacks").GetInt64(), root.ToString());
        Assert.InRange(root.GetProperty("callbacks").GetInt64(), 4 * 48000 / 256, 4 * 48000 / 256 + 200);
        Assert.Equal(0, root.GetProperty("audio_thread_jit_methods").GetInt64()); // JACK's thread compiles nothing either
    }

    [Fact]
    public void A_callback_that_overruns_its_period_is_an_xrun_in_the_stats()
    {
        // A Python call holds one callback for 200 ms, about 40 periods: JACK reports the client late, and play counts it.
        using var server = new JackServer();
        using var dir = new TempDir();
        var patch = new StallingPatch(dir, "time.sleep(0.2)");
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", patch.Csd, "--audio", "jack",
            "--duration", "2", "--stats", dir.File("stats.json"), "--no-tui", "--python-budget-ms", "10000");
        var result = play.Wait(Generous);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(File.Exists(patch.Left), "the stalling call never ran");
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var root = stats.RootElement;
        Assert.InRange(root.GetProperty("xruns").GetInt64(), 1, root.GetProperty("callbacks").GetInt64() / 10);
        Assert.True(root.GetProperty("max_callback_us").GetDouble() >= 200_000, root.ToString());
    }

    [Fact]
    public void An_orchestra_that_asks_for_input_gets_input_ports_and_hears_another_client()
    {
        using var server = new JackServer();
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", TestData.Path("jack", "thru-input.csd"),
            "--audio", "jack", "--duration", "4", "--record", dir.File("ours.wav"), "--no-tui");
        Assert.True(server.WaitForPort("cspylive:in_1", TimeSpan.FromSeconds(30)), play.StdErr);
        Assert.DoesNotContain("cspylive:in_2", server.Tool("jack_lsp").StdOut); // nchnls_i = 1
        var capture = server.WaitForConnection("system:capture_1", "cspylive:in_1", TimeSpan.FromSeconds(10));
        Assert.Contains("system:capture_1\n   cspylive:in_1", capture);

        // A metronome client clicks (amplitude 0.5, 600 bpm) into our input; the orchestra passes it through.
        using var metro = new BackgroundProcess("jack_metro", ["-n", "metro", "-b", "600", "-A", "0.5", "-D", "20"], server.ClientEnvironment);
        Assert.True(server.WaitForPort("metro:600_bpm", TimeSpan.FromSeconds(10)), metro.StdErr);
        var connect = server.Tool("jack_connect", "metro:600_bpm", "cspylive:in_1");
        Assert.True(connect.ExitCode == 0, connect.Output);

        var result = play.Wait(Generous);
        Assert.True(result.ExitCode == 0, result.Output);
        var ours = WavFile.Read(dir.File("ours.wav"));
        var left = Enumerable.Range(0, ours.Frames).Select(n => Math.Abs(ours.Samples[2 * n])).ToArray();
        Assert.InRange(left.Max(), 0.3, 0.51);
        // Clicks, not a constant: 10 a second, each ~20 ms, so most of the recording after the connection is quiet.
        var loud = left.Count(v => v > 0.05);
        Assert.InRange(loud, 1, ours.Frames / 2);
    }

    [Fact]
    public void A_period_that_is_not_a_multiple_of_ksmps_plays_an_unbroken_sine()
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", TestData.Path("jack", "sine-ksmps-441.csd"),
            "--audio", "jack", "--duration", "3", "--record", dir.File("ours.wav"), "--no-tui", "--python-budget-ms", "10000");
        Assert.True(server.WaitForPort("cspylive:out_1", TimeSpan.FromSeconds(30)), play.StdErr);
        Assert.True(server.WaitForActivation("cspylive:out_1", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr);
        var rec = server.Tool("jack_rec", "-f", dir.File("peer.wav"), "-d", "1", "cspylive:out_1");
        Assert.True(rec.ExitCode == 0, rec.Output);
        var result = play.Wait(Generous);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("256 frames a period, ksmps 441", result.StdErr);

        // What the engine produced through 256-frame periods is the sine, sample for sample: no k-cycle lost or repeated.
        var ours = WavFile.Read(dir.File("ours.wav"));
        Assert.Equal(3 * 48000, ours.Frames);
        for (var n = 0; n < ours.Frames; n++)
        {
            var expected = 0.3 * Math.Sin(2 * Math.PI * 440 * n / 48000.0);
            Assert.True(Math.Abs(ours.Samples[n * 2] - expected) < 1e-3, $"frame {n}: {ours.Samples[n * 2]} instead of {expected}");
        }

        // And what JACK carried to another client is a 440 Hz sine of amplitude 0.3 (880 zero crossings a second).
        var peer = WavFile.Read(dir.File("peer.wav"));
        var x = peer.Samples.Select(s => s / 32768).ToArray();
        Assert.InRange(x.Max(Math.Abs), 0.28, 0.31);
        var crossings = Enumerable.Range(1, x.Length - 1).Count(i => (x[i - 1] < 0) != (x[i] < 0));
        var perSecond = crossings * 48000.0 / x.Length;
        Assert.InRange(perSecond, 870, 890);
    }

    [Fact]
    public void A_server_at_another_sample_rate_is_refused_before_playing()
    {
        using var server = new JackServer(sampleRate: 44100);
        var result = ProcessRunner.Run(ProcessRunner.CsPyLiveCommand.Program, [.. ProcessRunner.CsPyLiveCommand.Prefix, "play", Hello,
            "--audio", "jack", "--duration", "1"], environment: server.ClientEnvironment);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("44100 Hz", result.StdErr);
        Assert.Contains("48000 Hz", result.StdErr);
        Assert.DoesNotContain("playing", result.StdErr.Replace("playing is paused", ""));
    }

    [Fact]
    public void Without_a_server_jack_fails_clearly_and_auto_falls_back_to_null_with_a_recording()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string> { ["JACK_DEFAULT_SERVER"] = "cspylive-none-" + Guid.NewGuid().ToString("N")[..8], ["JACK_NO_START_SERVER"] = "1" };
        var (cli, prefix) = ProcessRunner.CsPyLiveCommand;

        var jack = ProcessRunner.Run(cli, [.. prefix, "play", Hello, "--audio", "jack", "--duration", "0.5"], dir.Path, environment: env);
        Assert.NotEqual(0, jack.ExitCode);
        Assert.Contains("no JACK server is running", jack.StdErr);

        var auto = ProcessRunner.Run(cli, [.. prefix, "play", Hello, "--duration", "0.5"], dir.Path, environment: env);
        Assert.True(auto.ExitCode == 0, auto.Output);
        Assert.Contains("no JACK server is running; using the null backend", auto.StdErr);
        var recording = Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "recordings"), "hello-*.wav"));
        Assert.Equal(24000, WavFile.Read(recording).Frames);
    }

    [Fact]
    public void Survives_a_server_restart_and_plays_on_with_the_same_engine()
    {
        using var server = new JackServer();
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", TestData.Path("jack", "sine-ksmps-441.csd"),
            "--audio", "jack", "--duration", "5", "--record", dir.File("ours.wav"), "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(server.WaitForActivation("cspylive:out_1", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr);
        Thread.Sleep(500); // a while of playing before the outage: the sine must continue across it

        server.RestartUnder(play, TimeSpan.FromMilliseconds(700));
        Assert.True(server.WaitForPort("cspylive:out_1", TimeSpan.FromSeconds(5)));
        Assert.Contains("cspylive:out_1\n   system:playback_1",
            server.WaitForConnection("cspylive:out_1", "system:playback_1", TimeSpan.FromSeconds(10)));
        var rec = server.Tool("jack_rec", "-f", dir.File("peer.wav"), "-d", "1", "cspylive:out_1");
        Assert.True(rec.ExitCode == 0, rec.Output);

        var result = play.Wait(Generous);
        Assert.True(result.ExitCode == 0, result.Output);
        // The engine lived on: its sine continues from where it was, sample for sample, across the outage.
        var ours = WavFile.Read(dir.File("ours.wav"));
        Assert.Equal(5 * 48000, ours.Frames);
        for (var n = 0; n < ours.Frames; n += 7)
            Assert.True(Math.Abs(ours.Samples[n * 2] - 0.3 * Math.Sin(2 * Math.PI * 440 * n / 48000.0)) < 1e-3, $"frame {n}");
        Assert.True(WavFile.Read(dir.File("peer.wav")).Peak / 32768 > 0.25, "no sound reached JACK after the restart");
    }

    [Fact]
    public void A_server_that_dies_while_the_callback_is_busy_does_not_cut_the_callback_short()
    {
        // libjack closes a client by cancelling its threads asynchronously (pthread_cancel); a thread cancelled inside
        // our callback (here: inside Csound, inside a Python call) is unwound through frames that cannot be unwound,
        // and the host aborts or loses its audio thread. The server dies while a Python call holds the callback for
        // 1.5 s (the watchdog's budget is raised so it lets the call be): the call must finish, and the host must
        // reconnect and play its whole duration.
        using var server = new JackServer();
        using var dir = new TempDir();
        var patch = new StallingPatch(dir, "time.sleep(1.5)");
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", patch.Csd, "--audio", "jack",
            "--duration", "3", "--record", dir.File("ours.wav"), "--no-tui", "--python-budget-ms", "10000");
        Assert.True(patch.WaitUntilEntered(play, TimeSpan.FromSeconds(30)), play.StdErr);

        server.Kill();
        Assert.True(play.WaitForStdErr("the JACK server shut down", TimeSpan.FromSeconds(10)), play.StdErr);
        Assert.True(patch.WaitUntilLeft(play, TimeSpan.FromSeconds(10)), "the Python call in the callback never finished\n" + play.StdErr);

        server.Start();
        Assert.True(play.WaitForStdErr("reconnected to JACK", TimeSpan.FromSeconds(15)), play.StdErr + server.Log);
        var result = play.Wait(Generous);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(3 * 48000, WavFile.Read(dir.File("ours.wav")).Frames);
    }
}
