using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Tests.Osc;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>A <see cref="Show"/> driven in this process on the null backend: what it plays, reports and owns.</summary>
[Collection("Python")] // shows share the process's Python, and set the working directory while they run
public sealed class ShowTests
{
    private static string Hello => Path.Combine(TestData.RepoRoot, "patches", "hello");

    private static ShowOptions Options(ShowRequest request) => ShowOptions.Resolve(request, new HostConfig());

    [Fact]
    public void Plays_in_real_time_records_exactly_the_duration_and_reports_what_each_part_measured()
    {
        using var dir = new TempDir();
        var log = new ShowLog();
        var options = Options(new ShowRequest
        {
            Patch = Hello, Audio = "null", Duration = 1.5, Record = dir.File("out.wav"), Stats = dir.File("stats.json"),
        });
        LiveStats stats;
        var watch = Stopwatch.StartNew();
        using (var show = new Show(options, log.Write)) stats = show.Run();
        watch.Stop();
        Assert.True(watch.Elapsed.TotalSeconds >= 1.5, $"a real-time clock cannot play 1.5 s in {watch.Elapsed.TotalSeconds:0.00} s");

        var wav = WavFile.Read(dir.File("out.wav"));
        Assert.Equal(72000, wav.Frames); // 1.5 s at the patch's 48 kHz, whatever ran over
        Assert.True(wav.Peak > 0.05);

        Assert.Equal(("null", 48000, 256), (stats.Backend, stats.SampleRate, stats.Period));
        // The control thread looks every 10 ms: a few more periods may run before it stops the clock.
        Assert.InRange(stats.Callbacks, 72000 / 256, 72000 / 256 + 40);
        Assert.Equal(stats.Callbacks * 256 / 48000.0, stats.SecondsPlayed, 9); // every period produced a whole period
        Assert.True(stats.Xruns * 10 <= stats.Callbacks, $"{stats.Xruns} xruns in {stats.Callbacks} periods of a light orchestra");
        Assert.True(stats.P50CallbackMicroseconds > 0 && stats.P50CallbackMicroseconds <= stats.P99CallbackMicroseconds
            && stats.P99CallbackMicroseconds <= stats.MaxCallbackMicroseconds, $"{stats.P50CallbackMicroseconds} {stats.P99CallbackMicroseconds} {stats.MaxCallbackMicroseconds}");
        Assert.Empty(stats.Reloads); // hello has no Python
        Assert.Equal((0, 0, 0), (stats.OscReceived, stats.MidiReceived, stats.AudioThreadJitMethods));
        Assert.False(stats.AudioThreadStuck);
        Assert.Contains("on the null backend (48000 Hz, 256 frames a period, ksmps 32), recording to " + dir.File("out.wav"), log.Text);

        // The file says what the show returned.
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var root = json.RootElement;
        Assert.Equal(stats.Callbacks, root.GetProperty("callbacks").GetInt64());
        Assert.Equal(stats.Xruns, root.GetProperty("xruns").GetInt64());
        Assert.Equal(stats.MaxCallbackMicroseconds, root.GetProperty("max_callback_us").GetDouble());
        Assert.Equal(Math.Round(stats.SecondsPlayed, 3), root.GetProperty("seconds_played").GetDouble());
        Assert.Equal(0, root.GetProperty("reloads").GetArrayLength());
    }

    [Fact]
    public void Runs_once_in_the_patch_folder_and_gives_the_caller_its_folder_back()
    {
        var before = Directory.GetCurrentDirectory();
        var show = new Show(Options(new ShowRequest { Patch = Hello, Audio = "null", Duration = 0.1 }), (_, _) => { });
        Assert.Equal(Show.Stage.Opened, show.State);
        Assert.Equal(Hello, Directory.GetCurrentDirectory()); // relative paths in the orchestra resolve as under csound
        show.Run();
        Assert.Equal(Show.Stage.Stopped, show.State);
        Assert.Throws<InvalidOperationException>(() => show.Run());
        show.Dispose();
        Assert.Equal(Show.Stage.Disposed, show.State);
        Assert.Equal(before, Directory.GetCurrentDirectory());
        show.Dispose(); // twice is harmless
    }

    [Fact]
    public void A_csd_that_does_not_compile_says_why_and_leaves_nothing_behind()
    {
        using var dir = new TempDir();
        var csd = dir.Write("bad.csd", TestEngines.Csd("instr 1\n a1 oscilll 0.1, 440\n out a1\nendin", "i1 0 1"));
        var before = Directory.GetCurrentDirectory();
        var log = new ShowLog();
        var e = Assert.Throws<CsoundException>(() => new Show(Options(new ShowRequest { Patch = csd, Audio = "null" }), log.Write));
        Assert.Contains("could not compile", e.Message);
        Assert.Contains("oscilll", log.Text); // Csound's own message, drained before the failure
        Assert.Equal(before, Directory.GetCurrentDirectory());
    }

    private const string PanicOrchestra = """
        instr 1
          kc init 0
          kc += 1
          chnset kc, "one"
        endin
        instr 99
          kc init 0
          kc += 1
          chnset kc, "kept"
        endin
        """;

    [Theory]
    [InlineData("panic:\n  keep: [99]\nosc:\n  port: 0\n")]
    [InlineData("osc:\n  port: 0\n  panic_keep: [99]\n")] // where patches said it before there was one panic
    public async Task One_panic_turns_off_every_instrument_but_those_kept_whether_typed_or_sent(string yaml)
    {
        using var dir = new TempDir();
        var csd = dir.Write("p.csd", TestEngines.Csd(PanicOrchestra, "i1 0 3600\ni99 0 3600"));
        dir.Write("patch.yaml", yaml);
        using var show = new Show(Options(new ShowRequest { Patch = csd, Audio = "null", Duration = 30 }), (_, _) => { });
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => show.Run(stop.Token));
        var engine = show.Engine;
        int one = engine.ChannelSlot("one"), kept = engine.ChannelSlot("kept");
        Assert.True(Wait.Until(() => engine.ReadChannel(one) > 10, TimeSpan.FromSeconds(20)), "instr 1 never ran");
        Assert.Equal("every instrument turned off but 99 (panic.keep)", show.PanicDescription);

        Assert.True(show.Panic());
        Assert.True(Wait.Until(() => Quiet(engine, one), TimeSpan.FromSeconds(5)), "instr 1 still runs after a typed panic");
        var keptBefore = engine.ReadChannel(kept);
        Assert.True(Wait.Until(() => engine.ReadChannel(kept) > keptBefore + 10, TimeSpan.FromSeconds(5)), "the kept instrument stopped");

        // /panic over OSC is the same panic: instr 1 again (a new note), and it stops again.
        engine.Enqueue(TimedAction.ScoreEvent(0, 'i', [1, 0, 3600]));
        var resumed = engine.ReadChannel(one);
        Assert.True(Wait.Until(() => engine.ReadChannel(one) > resumed + 10, TimeSpan.FromSeconds(5)), "instr 1 did not start again");
        var osc = show.Inputs.OfType<CsPyLive.Osc.OscInput>().Single();
        using (var udp = new UdpClient()) udp.Send(OscModel.Message("/panic"), "127.0.0.1", osc.Udp!.LocalEndPoint.Port);
        Assert.True(Wait.Until(() => Quiet(engine, one), TimeSpan.FromSeconds(5)), "instr 1 still runs after /panic");
        Assert.True(Wait.Until(() => engine.ReadChannel(kept) > keptBefore + 20, TimeSpan.FromSeconds(5)), "the kept instrument stopped");
        stop.Cancel();
        Assert.Equal(1, (await run).OscReceived);
    }

    [Fact]
    public async Task A_queue_that_overflows_says_so_by_name()
    {
        using var dir = new TempDir();
        var csd = dir.Write("p.csd", TestEngines.Csd(PanicOrchestra, "i1 0 3600"));
        dir.Write("patch.yaml", "osc:\n  port: 0\n");
        var log = new ShowLog();
        using var show = new Show(Options(new ShowRequest { Patch = csd, Audio = "null", Duration = 30 }), log.Write);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => show.Run(stop.Token));
        var osc = show.Inputs.OfType<CsPyLive.Osc.OscInput>().Single();
        var ahead = CsPyLive.Osc.OscTimeTag.Add(CsPyLive.Osc.OscTimeTag.Now, 10);
        var bundle = OscModel.Encode(new OscBundleModel(ahead, [new OscMessageModel("/chn/x", [new OscArg('f', Real: 1)])]));
        using (var udp = new UdpClient())
            for (var i = 0; i < 4000; i++) udp.Send(bundle, "127.0.0.1", osc.Udp!.LocalEndPoint.Port);
        Assert.True(log.WaitFor("action(s) more than a second ahead dropped: at most 3072 may wait", TimeSpan.FromSeconds(20)), log.Text);
        stop.Cancel();
        Assert.True((await run).ActionsDropped > 0);
    }

    /// <summary>A counter channel that no longer moves over a few periods: its instrument is off.</summary>
    private static bool Quiet(Engine engine, int slot)
    {
        var v = engine.ReadChannel(slot);
        Thread.Sleep(50);
        return engine.ReadChannel(slot) == v;
    }

    [Fact]
    public async Task A_snapshot_while_it_plays_reports_the_show_so_far_and_only_then()
    {
        var options = Options(new ShowRequest { Patch = Hello, Audio = "null", Duration = 2 });
        using var show = new Show(options, new ShowLog().Write);
        Assert.Throws<InvalidOperationException>(() => show.Snapshot()); // not running yet
        var run = Task.Run(() => show.Run());
        Assert.True(Wait.Until(() => show.Engine.FramesPerformed >= 48000 / 2, TimeSpan.FromSeconds(30)));
        var now = show.Snapshot();
        var end = await run;
        Assert.InRange(now.SecondsPlayed, 0.45, 1.9);
        Assert.True(now.Callbacks > 0 && now.Callbacks < end.Callbacks, $"{now.Callbacks} then {end.Callbacks}");
        Assert.InRange(now.ResidentMegabytes, 20, 4096); // this test process's own resident memory
        Assert.Equal(0, now.MidiNotesSounding);
        Assert.Throws<InvalidOperationException>(() => show.Snapshot()); // stopped
    }

    [Fact]
    public async Task Status_typed_while_playing_says_how_the_show_is_doing()
    {
        var info = new ProcessStartInfo(ProcessRunner.CsPyLiveCommand.Program) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])[.. ProcessRunner.CsPyLiveCommand.Prefix, "play", Hello, "--audio", "null", "--duration", "3", "--no-tui"]) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        string Text() { lock (stderr) return stderr.ToString(); }
        Assert.True(Wait.Until(() => Text().Contains("Ctrl+C stops."), TimeSpan.FromSeconds(60)), Text()); // playing
        await p.StandardInput.WriteLineAsync("status");
        await p.StandardInput.FlushAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, p.ExitCode);
        Assert.Matches(@"cspylive: status: played \d+\.\d s, \d+ callbacks, \d+ xruns, max \d+ us, \d+ GC \(\d+\.\d MB allocated\), RSS \d+\.\d MB, OSC 0 received 0 dropped, " +
            @"MIDI 0 received 0 notes sounding, reloads 0 live 0 not", Text());
    }
}
