using CsPyLive.Inputs;
using CsPyLive.Audio;
using CsPyLive.Audio.Jack;
using CsPyLive.Midi;
using CsPyLive.Tests.Jack;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Midi;

/// <summary>JACK MIDI from an independent sender (jack_midiseq) into cspylive:midi_in.</summary>
public sealed class JackMidiTests
{
    private static BackgroundProcess Sequencer(JackServer server, string name, params string[] args) =>
        new("jack_midiseq", [name, .. args], server.ClientEnvironment);

    [Fact]
    public void Notes_from_jack_midiseq_sound_at_a_constant_spacing_and_release()
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLiveJit(server.ClientEnvironment, "play", TestData.Path("midi", "dc-keys.csd"),
            "--audio", "jack", "--midi-in", "jack", "--duration", "6", "--record", dir.File("ours.wav"),
            "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(server.WaitForPort("cspylive:midi_in", TimeSpan.FromSeconds(30)), play.StdErr);
        Assert.True(server.WaitForActivation("cspylive:out_1", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr);
        // A 0.5 s loop: note 60 held for 6000 frames. 24000 is not a multiple of the 256-frame period, so events
        // land at different offsets inside periods; their onsets must still be exactly 24000 frames apart.
        using var seq = Sequencer(server, "seq", "24000", "0", "60", "6000");
        Assert.True(server.WaitForPort("seq:out", TimeSpan.FromSeconds(10)));
        var connect = server.Tool("jack_connect", "seq:out", "cspylive:midi_in");
        Assert.True(connect.ExitCode == 0, connect.Output);

        var result = play.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("MIDI in from cspylive:midi_in", result.StdErr);
        var notes = MidiOnsets.Find(MidiOnsets.Left(WavFile.Read(dir.File("ours.wav"))));
        notes = notes.Skip(1).SkipLast(1).ToList(); // the first and last may be cut by the connection and the end
        Assert.True(notes.Count >= 5, $"{notes.Count} notes heard");
        var intervals = notes.Zip(notes.Skip(1), (a, b) => b.Onset - a.Onset).ToArray();
        // No jitter: every interval is exact. On this shared machine the dummy server now and then skips a period
        // for our client (an xrun, counted in the stats): the engine then runs one period behind the sequencer, and
        // that one interval is short by exactly 256 frames. Anything else would be timing error of ours.
        var xruns = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("stats.json"))).RootElement.GetProperty("xruns").GetInt64();
        Assert.All(intervals, i => Assert.Equal(0, (i - 24000) % 256));
        var offByPeriods = intervals.Count(i => i != 24000);
        Assert.True(offByPeriods <= xruns, $"{offByPeriods} intervals off by whole periods, but only {xruns} xruns: {string.Join(", ", intervals)}");
        Assert.True(offByPeriods * 2 < intervals.Length, $"most intervals must be exact: {string.Join(", ", intervals)}");
        // Each note lasts its 6000 frames (to within a k-cycle) plus the 2400-frame release, then silence.
        // A period skipped between a note's on and off shortens or lengthens that note by one period, as above.
        bool Nominal(long length) => Math.Abs(length - (6000 + 2400)) <= 64;
        Assert.All(notes, n => Assert.True(Nominal(n.End - n.Onset) || Nominal(n.End - n.Onset + 256) || Nominal(n.End - n.Onset - 256),
            $"a note lasted {n.End - n.Onset} frames"));
        Assert.True(notes.Count(n => !Nominal(n.End - n.Onset)) + offByPeriods <= 2 * xruns,
            $"{notes.Count(n => !Nominal(n.End - n.Onset))} notes and {offByPeriods} intervals off by a period, with {xruns} xruns");
        Assert.Contains("\"midi_received\"", File.ReadAllText(dir.File("stats.json")));
        // The MIDI path (the parser, the router behind its interface) was compiled before the first note, not by it.
        var jitted = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("stats.json"))).RootElement.GetProperty("audio_thread_jit_methods").GetInt64();
        Assert.True(jitted == 0, $"the JIT compiled {jitted} methods on JACK's thread while notes arrived");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    public void Notes_land_on_their_frame_at_a_ksmps_that_does_not_divide_the_interval(int ksmps)
    {
        // 12050 frames apart: neither the 256-frame period nor ksmps divides it, so each note arrives at another offset
        // inside its k-cycle. Live play is sample-accurate (ADR 0014): the onsets keep the sequencer's spacing exactly.
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        File.WriteAllText(dir.File("keys.csd"), File.ReadAllText(TestData.Path("midi", "dc-keys.csd")).Replace("ksmps = 32", $"ksmps = {ksmps}"));
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", dir.File("keys.csd"),
            "--audio", "jack", "--midi-in", "jack", "--duration", "5", "--record", dir.File("ours.wav"), "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(server.WaitForPort("cspylive:midi_in", TimeSpan.FromSeconds(30)), play.StdErr);
        Assert.True(server.WaitForActivation("cspylive:out_1", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr);
        using var seq = Sequencer(server, "seq", "12050", "0", "60", "3000");
        Assert.True(server.WaitForPort("seq:out", TimeSpan.FromSeconds(10)));
        Assert.Equal(0, server.Tool("jack_connect", "seq:out", "cspylive:midi_in").ExitCode);
        var result = play.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        var notes = MidiOnsets.Find(MidiOnsets.Left(WavFile.Read(dir.File("ours.wav")))).Skip(1).SkipLast(1).ToList();
        Assert.True(notes.Count >= 8, $"{notes.Count} notes heard");
        var intervals = notes.Zip(notes.Skip(1), (a, b) => b.Onset - a.Onset).ToArray();
        var xruns = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("stats.json"))).RootElement.GetProperty("xruns").GetInt64();
        // exact, but across an xrun (the engine then runs a whole period behind the sequencer)
        Assert.All(intervals, i => Assert.Equal(0, (i - 12050) % 256));
        Assert.True(intervals.Count(i => i != 12050) <= xruns, $"intervals {string.Join(", ", intervals)} with {xruns} xruns");
        Assert.Contains(intervals, i => i == 12050);
    }

    [Fact]
    public void A_note_held_when_the_server_goes_away_is_released_when_it_comes_back()
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", TestData.Path("midi", "dc-keys.csd"),
            "--audio", "jack", "--midi-in", "jack", "--duration", "5", "--record", dir.File("ours.wav"), "--no-tui");
        Assert.True(server.WaitForActivation("cspylive:out_1", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr);
        // Note 60 on 1 s into a 10 s loop (after the connection) and held for 8 s: the sequencer dies with the
        // server, so its note-off never comes.
        using (var seq = Sequencer(server, "seq", "480000", "48000", "60", "384000"))
        {
            Assert.True(server.WaitForPort("seq:out", TimeSpan.FromSeconds(10)));
            var connect = server.Tool("jack_connect", "seq:out", "cspylive:midi_in");
            Assert.True(connect.ExitCode == 0, connect.Output);
            Thread.Sleep(2000);
            server.RestartUnder(play, TimeSpan.FromMilliseconds(500), "MIDI notes held before the outage were released");
        }

        var result = play.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        var left = MidiOnsets.Left(WavFile.Read(dir.File("ours.wav")));
        Assert.True(left.Max() > 0.2, "the held note was never heard"); // velocity 64: 64/127 * 0.5
        // Released at the reconnection (a 50 ms release), so the end of the recording is silent, not a stuck note.
        Assert.All(left[^4800..], x => Assert.Equal(0, x, 6));
    }

    [Fact]
    public void A_note_held_when_its_source_disconnects_is_released()
    {
        // A keyboard unplugged (or a sequencer quit) with a key down: its note-off can never come.
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", TestData.Path("midi", "dc-keys.csd"),
            "--audio", "jack", "--midi-in", "jack", "--duration", "5", "--record", dir.File("ours.wav"), "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(server.WaitForActivation("cspylive:out_1", "system:playback_1", TimeSpan.FromSeconds(30)), play.StdErr);
        using var seq = Sequencer(server, "seq", "480000", "48000", "60", "384000"); // on 1 s into the loop, held 8 s
        Assert.True(server.WaitForPort("seq:out", TimeSpan.FromSeconds(10)));
        var connect = server.Tool("jack_connect", "seq:out", "cspylive:midi_in");
        Assert.True(connect.ExitCode == 0, connect.Output);
        Thread.Sleep(2000);
        var disconnect = server.Tool("jack_disconnect", "seq:out", "cspylive:midi_in");
        Assert.True(disconnect.ExitCode == 0, disconnect.Output);
        Assert.True(play.WaitForStdErr("the last source left cspylive:midi_in with 1 note(s) held; released them", TimeSpan.FromSeconds(5)), play.StdErr);
        Thread.Sleep(500); // the 50 ms release, and a little silence
        play.Signal("TERM"); // stops as Ctrl+C does, with stats: no note counted as sounding once released

        var result = play.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        var left = MidiOnsets.Left(WavFile.Read(dir.File("ours.wav")));
        Assert.True(left.Max() > 0.2, "the held note was never heard");
        Assert.All(left[^4800..], x => Assert.Equal(0, x, 6)); // released (50 ms), not stuck to the end
        Assert.Equal(0, System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("stats.json"))).RootElement.GetProperty("midi_notes_sounding").GetInt32());
    }

    [Fact]
    public async Task A_panic_typed_on_stdin_is_accepted()
    {
        using var server = new JackServer(period: 256);
        var info = new System.Diagnostics.ProcessStartInfo(ProcessRunner.CsPyLiveCommand.Program)
        {
            RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var a in (string[])[.. ProcessRunner.CsPyLiveCommand.Prefix, "play", TestData.Path("midi", "dc-keys.csd"), "--audio", "jack", "--midi-in", "jack", "--duration", "3", "--no-tui"])
            info.ArgumentList.Add(a);
        foreach (var (k, v) in server.ClientEnvironment) info.Environment[k] = v;
        using var p = System.Diagnostics.Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(server.WaitForPort("cspylive:midi_in", TimeSpan.FromSeconds(30)));
        p.StandardInput.WriteLine("panic");
        p.StandardInput.Flush();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("panic: every MIDI note released", await stderr);
    }
}

/// <summary>The MIDI path inside the JACK process callback allocates nothing, with notes arriving all the time.</summary>
[Collection(InProcessJackCollection.Name)]
public sealed class JackMidiAllocationTests
{
    [Fact]
    public void Reading_midi_in_the_process_callback_allocates_nothing()
    {
        const int from = 500, to = 5000;
        using var server = new JackServer(period: 64);
        using var engine = TestEngines.Start(File.ReadAllText(TestData.Path("midi", "dc-keys.csd")));
        var sink = new ActionSink(engine);
        var router = new MidiRouter(sink);
        var input = new MidiInputStream(sink, router);
        foreach (var (k, v) in server.ClientEnvironment) NativeEnvironment.Set(k, v);
        using var backend = new JackAudioBackend(48000, 2, 0, new JackOptions { ClientName = "cspylive-test", AutoConnect = false });
        Assert.Equal("cspylive-test:midi_in", backend.OpenMidiInput(input));
        // 20 notes a second with a bend in between, from an independent client.
        using var seq = new BackgroundProcess("jack_midiseq", ["seq", "2400", "0", "60", "1200", "600", "64", "600"], server.ClientEnvironment);
        long count = 0, before = 0, allocated = -1, receivedBefore = 0, receivedAfter = 0;
        using var done = new ManualResetEventSlim();
        backend.Start(new TestCallback((in AudioBuffers b) =>
        {
            var n = ++count;
            if (n == from)
            {
                receivedBefore = router.Received;
                before = GC.GetAllocatedBytesForCurrentThread();
            }
            engine.Process(b.Output, default, b.Frames);
            if (n == to)
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                receivedAfter = router.Received;
                done.Set();
            }
        }));
        Assert.True(server.WaitForPort("seq:out", TimeSpan.FromSeconds(10)));
        var connect = server.Tool("jack_connect", "seq:out", "cspylive-test:midi_in");
        Assert.True(connect.ExitCode == 0, connect.Output);
        Assert.True(done.Wait(TimeSpan.FromSeconds(120)), $"only {count} callbacks ran");
        backend.Stop();
        Assert.True(receivedAfter - receivedBefore > 50, $"{receivedAfter - receivedBefore} MIDI messages in the measured periods");
        Assert.Equal(0, allocated);
        Assert.Equal(0, backend.CallbackErrors);
    }
}
