using System.Net;
using System.Net.Sockets;
using CsPyLive.Tests.Jack;
using CsPyLive.Tests.Osc;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Replay;

/// <summary><c>play --log</c> then <c>cspylive replay</c>: the samples of the live recording, from the log alone.</summary>
public sealed class ShowLogReplayTests
{
    /// <summary>patches/tablet, copied, with a pluck on MIDI channel 1 (as the soak benchmark plays it).</summary>
    private static string TabletWithKeys(TempDir dir)
    {
        var patch = Directory.CreateDirectory(dir.File("tablet")).FullName;
        foreach (var f in Directory.GetFiles(Path.Combine(TestData.RepoRoot, "patches", "tablet"))) File.Copy(f, Path.Combine(patch, Path.GetFileName(f)));
        var csd = Path.Combine(patch, "tablet.csd");
        File.WriteAllText(csd, File.ReadAllText(csd).Replace("</CsInstruments>", """
            instr 10
              icps = cpsmidinn(p4)
              a1 pluck p5, icps, icps, 0, 1
              aenv linsegr 1, 0.01, 1, 0.2, 0
              outs a1 * aenv * 0.5, a1 * aenv * 0.5
            endin
            </CsInstruments>
            """));
        File.AppendAllText(Path.Combine(patch, "patch.yaml"), "midi:\n  channels:\n    1: { instrument: 10, velocity: { max: 0.25 } }\n");
        return patch;
    }

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task A_30_second_show_with_midi_osc_and_two_reloads_replays_to_the_same_samples()
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        var patch = TabletWithKeys(dir);
        var port = FreeUdpPort();
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", patch, "--audio", "jack", "--midi-in", "jack",
            "--osc-port", $"{port}", "--duration", "30", "--record", dir.File("live.wav"), "--log", dir.File("show.cslog"), "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(server.WaitForPort("cspylive:midi_in", TimeSpan.FromSeconds(60)), play.StdErr);
        Assert.True(server.WaitForActivation("cspylive:out_1", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr);
        // MIDI: two notes every quarter second, from a sequencer no one here wrote.
        using var seq = new BackgroundProcess("jack_midiseq", ["seq", "12000", "0", "60", "3000", "6000", "67", "3000"], server.ClientEnvironment);
        Assert.True(server.WaitForPort("seq:out", TimeSpan.FromSeconds(10)));
        Assert.Equal(0, server.Tool("jack_connect", "seq:out", "cspylive:midi_in").ExitCode);
        // OSC: faders, Python globals and pads, 200 messages a second, while the file is saved twice.
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(() =>
        {
            using var udp = new UdpClient();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var x = i % 100 / 100f;
                udp.Send(OscModel.Message("/1/fader1", x), "127.0.0.1", port);
                udp.Send(OscModel.Message("/1/fader4", 1 - x), "127.0.0.1", port);
                udp.Send(OscModel.Message("/py/density", 0.5f + x / 2), "127.0.0.1", port);
                udp.Send(OscModel.Message("/chn/echo", x / 2), "127.0.0.1", port);
                if (i % 50 == 0) udp.Send(OscModel.Message("/1/push2", 1f), "127.0.0.1", port);
                Thread.Sleep(20);
            }
        });
        var py = Path.Combine(patch, "tablet.py");
        Thread.Sleep(6000);
        File.WriteAllText(py, File.ReadAllText(py).Replace("MINOR = [0, 3, 5, 7, 10, 12, 15, 17]", "MINOR = [0, 2, 3, 7, 8, 12, 14, 15]"));
        Assert.True(play.WaitForStdErr("tablet.py is live", TimeSpan.FromSeconds(10)), play.StdErr);
        Thread.Sleep(6000);
        File.WriteAllText(py, File.ReadAllText(py).Replace("return float(int(root) + 12 + scale[i])", "return float(int(root) + 24 + scale[i])"));
        Assert.True(Wait.Until(() => play.StdErr.Split("tablet.py is live").Length == 3, TimeSpan.FromSeconds(10)), play.StdErr);
        var result = play.Wait(TimeSpan.FromSeconds(90));
        stop.Cancel();
        await sender;
        Assert.True(result.ExitCode == 0, result.Output);
        var log = File.ReadAllText(dir.File("show.cslog"));
        Assert.Equal(2, log.Split("\"reload\":\"tablet.py\"").Length - 1);
        Assert.Contains("\"py\":\"density\"", log);
        Assert.Contains("\"chn\":\"echo\"", log);
        Assert.Contains("\"i\":[10", log); // a note the router made from MIDI
        Assert.Contains("\"off\":10", log); // and its release
        // recording what is applied compiled nothing on JACK's thread (RealtimeCode prepares the show log's code)
        Assert.Equal(0, System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("stats.json"))).RootElement.GetProperty("audio_thread_jit_methods").GetInt64());

        var replay = ProcessRunner.CsPyLive("replay", dir.File("show.cslog"), "-o", dir.File("take.wav"));
        Assert.True(replay.ExitCode == 0, replay.Output);
        var live = WavFile.Read(dir.File("live.wav"));
        var take = WavFile.Read(dir.File("take.wav"));
        Assert.True(live.Peak > 0.05, $"the show was silent (peak {live.Peak})");
        Assert.Equal(live.Samples.Length, take.Samples.Length);
        for (var i = 0; i < live.Samples.Length; i++)
            if (live.Samples[i] != take.Samples[i])
                Assert.Fail($"the replay differs from the recording from frame {i / live.Channels} ({live.Samples[i]} live, {take.Samples[i]} replayed)");
    }

    [Fact]
    public async Task After_kill_9_the_log_replays_what_the_recording_kept()
    {
        using var dir = new TempDir();
        var patch = TabletWithKeys(dir);
        var port = FreeUdpPort();
        using var play = BackgroundProcess.CsPyLive(null, "play", patch, "--audio", "null", "--osc-port", $"{port}",
            "--record", dir.File("live.wav"), "--log", dir.File("show.cslog"), "--no-tui");
        Assert.True(play.WaitForStdErr("Ctrl+C stops.", TimeSpan.FromSeconds(60)), play.StdErr);
        using (var udp = new UdpClient())
            for (var i = 0; i < 150; i++)
            {
                await udp.SendAsync(OscModel.Message("/1/fader1", i % 100 / 100f), "127.0.0.1", port);
                await udp.SendAsync(OscModel.Message("/py/density", 0.3f + i % 50 / 100f), "127.0.0.1", port);
                await Task.Delay(20);
            }
        play.Signal("KILL");
        play.Wait(TimeSpan.FromSeconds(30));
        var replay = ProcessRunner.CsPyLive("replay", dir.File("show.cslog"), "-o", dir.File("take.wav"));
        Assert.True(replay.ExitCode == 0, replay.Output);
        Assert.Contains("the log has no end", replay.StdErr);
        var live = WavFile.Read(dir.File("live.wav"));
        var take = WavFile.Read(dir.File("take.wav"));
        Assert.True(live.Frames > 48000, $"the recording kept {live.Frames} frames");
        Assert.True(File.ReadAllText(dir.File("show.cslog")).Split("\"py\":\"density\"").Length > 20, "the log kept the OSC traffic");
        var n = Math.Min(live.Samples.Length, take.Samples.Length);
        for (var i = 0; i < n; i++)
            if (live.Samples[i] != take.Samples[i])
                Assert.Fail($"the replay differs from the recording from frame {i / live.Channels}");
    }
}

/// <summary>Show logs that are not whole: a crash mid-line, another version, not a log at all.</summary>
public sealed class ShowLogFileTests
{
    private const string Header = """{"cslog":1,"patch":"/p","csd":"x.csd","sample_rate":48000,"ksmps":32,"output_channels":2,"files":{"x.csd":"..."}}""";

    [Fact]
    public void A_log_cut_by_a_crash_reads_up_to_its_last_whole_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.cslog"), Header + "\n" +
            """{"f":64,"chn":"cutoff","v":800}""" + "\n" + """{"f":32,"i":[1,0,1]}""" + "\n" + """{"f":96,"reload":"x.py","gap":true,"code":"AAE="}""" + "\n" +
            """{"f":96,"py":"tem""");
        var log = CsPyLive.Replay.ShowLogFile.Read(dir.File("a.cslog"));
        Assert.True(log.Truncated);
        Assert.Null(log.EndFrame);
        // by frame; at one frame the swap first, since it ran before that k-cycle's actions
        Assert.Equal([32L, 64L, 96L], log.Entries.Select(e => e.Frame));
        Assert.Equal(CsPyLive.Replay.LogEntryKind.Event, log.Entries[0].Kind);
        Assert.Equal([1.0, 0, 1], log.Entries[0].PFields);
        Assert.Equal(("cutoff", 800.0), (log.Entries[1].Name, log.Entries[1].Value));
        Assert.Equal([0, 1], log.Entries[2].Bytes);
    }

    [Fact]
    public void Swaps_come_before_the_actions_of_their_k_cycle()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.cslog"), Header + "\n" + """{"f":64,"chn":"a","v":1}""" + "\n" + """{"f":64,"rollback":true}""" + "\n" +
            """{"f":64,"chn":"b","v":2}""" + "\n" + """{"end":128,"lost":0}""" + "\n");
        var log = CsPyLive.Replay.ShowLogFile.Read(dir.File("a.cslog"));
        Assert.Equal(["Rollback", "Channel:a", "Channel:b"], log.Entries.Select(e => e.Kind + (e.Name.Length > 0 ? ":" + e.Name : "")));
        Assert.Equal(128, log.EndFrame);
        Assert.False(log.Truncated);
    }

    [Theory]
    [InlineData("not a log at all\n", "line 1: not a show log header")]
    [InlineData("""{"cslog":9,"csd":"x.csd"}""" + "\n", "show log version 9; this cspylive reads version 1")]
    [InlineData(Header + "\n{\"f\":1,\"chn\":\n{\"end\":5,\"lost\":0}\n", "line 2:")]
    public void What_is_not_a_show_log_is_refused_by_line(string text, string message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.cslog"), text);
        var e = Assert.Throws<InvalidDataException>(() => CsPyLive.Replay.ShowLogFile.Read(dir.File("a.cslog")));
        Assert.Contains(message, e.Message);
        var cli = ProcessRunner.CsPyLive("replay", dir.File("a.cslog"), "-o", dir.File("x.wav"));
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains(message, cli.StdErr);
        Assert.False(File.Exists(dir.File("x.wav")));
    }
}
