using CsPyLive.Tests.Support;
using static CsPyLive.Tests.Midi.MidiFileBytes;

namespace CsPyLive.Tests.Midi;

/// <summary><c>cspylive render --midi</c>: Standard MIDI Files through the same router, at their exact frames.</summary>
public sealed class MidiRenderTests
{
    private static string Keys => Path.Combine(TestData.RepoRoot, "patches", "keys");

    /// <summary>A chord with velocities, the pedal, a melody with running status, in format 1 with a tempo change.</summary>
    private static byte[] Piece()
    {
        var tempo = Concat(At(0, Tempo(600_000)), At(960, Tempo(400_000)), EndOfTrack);
        var chord = Concat(
            At(0, 0x90, 48, 70), At(0, 55, 60), At(0, 64, 80), At(0, 0xB0, 64, 127),
            At(480, 0x80, 48, 0), At(0, 55, 0), At(0, 64, 0),
            At(960, 0xB0, 64, 0),
            At(0, 0x90, 53, 127), At(0, 60, 110), At(0, 69, 120), At(0, 72, 127), At(0, 76, 127),
            At(960, 0x80, 53, 0), At(0, 60, 0), At(0, 69, 0), At(0, 72, 0), At(0, 76, 0), EndOfTrack);
        var melody = Concat(At(240, 0x90, 76, 90), At(240, 76, 0), At(0, 79, 100), At(240, 79, 0), At(0, 84, 127),
            At(0, 0xE0, 0x00, 0x50), At(480, 0x90, 84, 0), EndOfTrack);
        return Concat(Header(1, 3, 480), Track(tempo), Track(chord), Track(melody));
    }

    [Fact]
    public void The_keys_patch_plays_a_midi_file_without_silence_or_clipping()
    {
        using var dir = new TempDir();
        var mid = Write(dir.File("piece.mid"), Piece());
        var result = ProcessRunner.CsPyLive("render", Keys, "--midi", mid, "-o", dir.File("keys.wav"));
        Assert.True(result.ExitCode == 0, result.Output);
        var wav = WavFile.Read(dir.File("keys.wav"));
        // 2400 ticks: 960 at 0.6 s a quarter (1.2 s), 1440 at 0.4 s (1.2 s) = 2.4 s, plus the 3 s tail
        Assert.Equal((int)Math.Round(5.4 * 48000), wav.Frames);
        Assert.True(wav.Peak is > 0.1 and < 0.99, $"peak {wav.Peak}");
        double Rms(double from, double to)
        {
            var a = (int)(from * 48000) * 2;
            var b = (int)(to * 48000) * 2;
            return Math.Sqrt(wav.Samples[a..b].Average(s => s * s));
        }
        Assert.True(Rms(0, 0.5) > 0.01, "the first chord is silent");
        Assert.True(Rms(1.3, 1.9) > 0.01, "the loud chord is silent");
        Assert.True(Rms(5.0, 5.4) < Rms(1.3, 1.9) / 20, "the notes did not release");
    }

    [Fact]
    public void A_broken_midi_file_is_refused_with_the_byte_offset()
    {
        using var dir = new TempDir();
        var mid = Write(dir.File("lies.mid"), Concat(Header(0, 1, 96), Track([0x00, 0x90, 60, 100], claimedLength: 4000)));
        var result = ProcessRunner.CsPyLive("render", Keys, "--midi", mid, "-o", dir.File("x.wav"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("lies.mid: the 'MTrk' chunk at byte 14 claims 4000 bytes but only 4 remain", result.StdErr);
        Assert.False(File.Exists(dir.File("x.wav")));
    }

    [Fact]
    public void A_patch_can_route_a_file_to_csounds_own_midi_opcodes()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("m.csd"), TestEngines.Csd("""
            massign 0, 3
            instr 3
              kenv linsegr 1, 1, 1, 0.05, 0
              asig upsamp cpsmidi() / 10000 * kenv
              outs asig, asig
            endin
            """, "f0 100", "sr = 48000\nksmps = 16\nnchnls = 2\n0dbfs = 1"));
        File.WriteAllText(dir.File("patch.yaml"), "midi:\n  route: csound\n");
        var mid = Write(dir.File("a.mid"), Concat(Header(0, 1, 480), Track(Concat(At(480, 0x90, 69, 100), At(480, 0x80, 69, 0), EndOfTrack))));
        var result = ProcessRunner.CsPyLive("render", dir.Path, "--midi", mid, "-o", dir.File("out.wav"), "--duration", "2");
        Assert.True(result.ExitCode == 0, result.Output);
        var left = MidiOnsets.Left(WavFile.Read(dir.File("out.wav")));
        var note = Assert.Single(MidiOnsets.Find(left));
        Assert.Equal(24000, note.Onset);   // 480 ticks at 120 bpm = 0.5 s, a multiple of ksmps
        Assert.Equal(0.044, left[30000], 6);
        Assert.InRange(note.End, 48000 + 2400 - 16, 48000 + 2400 + 16);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("csound")]
    public void Thousands_of_events_at_one_tick_are_all_played_none_dropped(string route)
    {
        // 5,000 controller messages at tick 0, then a loud note: the queue into the engine holds 4,096, and the note
        // used to be dropped without a word. A file can wait, so it now does.
        using var dir = new TempDir();
        File.Copy(TestData.Path("midi", "dc-keys.csd"), dir.File("keys.csd"));
        if (route == "csound")
        {
            File.WriteAllText(dir.File("keys.csd"), File.ReadAllText(dir.File("keys.csd")).Replace("instr 1\n", "massign 0, 1\ninstr 1\n")
                .Replace("p5 / 127", "veloc() / 127"));
            File.WriteAllText(dir.File("patch.yaml"), "midi:\n  route: csound\n");
        }
        var flood = Enumerable.Range(0, 5000).SelectMany(i => At(0, 0xB1, 7, (byte)(i % 128))).ToArray();
        var mid = Write(dir.File("flood.mid"), Concat(Header(0, 1, 480),
            Track(Concat(flood, At(0, 0x90, 60, 127), At(480, 0x80, 60, 0), EndOfTrack))));
        var result = ProcessRunner.CsPyLive("render", dir.Path, "--midi", mid, "-o", dir.File("out.wav"), "--duration", "1");
        Assert.True(result.ExitCode == 0, result.Output);
        var left = MidiOnsets.Left(WavFile.Read(dir.File("out.wav")));
        var note = Assert.Single(MidiOnsets.Find(left));
        Assert.Equal(0.5, left[note.Onset + 100], 6); // velocity 127: the loud note, whole
        // It waited for room, so it may sound a block (4,096 frames) late, and says so; without the flood it is exact.
        Assert.InRange(note.Onset, 0, 2 * 4096);
        Assert.Contains("flood.mid: more events at 0 s than the engine takes at once", result.StdErr);
        Assert.Contains("none is lost", result.StdErr);
    }

    [Fact]
    public void A_file_that_says_it_lasts_77_hours_is_announced_and_sigterm_stops_the_render_with_a_valid_file()
    {
        // A delta time of 0x0FFFFFFF ticks: 77 h 40 min at 480 ticks a quarter and 120 bpm. It used to start a silent
        // 77-hour render.
        using var dir = new TempDir();
        var mid = Write(dir.File("long.mid"), Concat(Header(0, 1, 480), Track(Concat(At(0, 0x90, 60, 100), At(0x0FFFFFFF, 0x80, 60, 0), EndOfTrack))));
        using var render = BackgroundProcess.CsPyLive(null, "render", TestData.Path("midi", "dc-keys.csd"), "--midi", mid, "-o", dir.File("long.wav"));
        Assert.True(render.WaitForStdErr("long.mid lasts 77:40:20: the render goes to its end (--duration cuts it", TimeSpan.FromSeconds(30)), render.StdErr);
        render.Signal("TERM"); // a render stopped at once: its file is small, and valid
        var result = render.Wait(TimeSpan.FromSeconds(60));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cspylive: stopped; wrote", result.StdErr);
        var wav = WavFile.Read(dir.File("long.wav"));
        Assert.Equal(new FileInfo(dir.File("long.wav")).Length, 58 + wav.Frames * 8L); // float32 stereo after a 58-byte header
    }

    [Fact]
    public void A_long_render_says_how_far_it_is_and_how_fast_it_goes()
    {
        var options = new CsPyLive.Live.ShowOptions { Patch = null!, Duration = 4 * 3600 + 60 };
        var said = new List<string>();
        var progress = new CsPyLive.Live.RenderProgress(options, 48000, said.Add, every: TimeSpan.Zero);
        progress.Tick(48000L * 3600);
        Assert.Matches(@"^rendered 1:00:00 of 4:01:00 \(25 %\), [0-9.]+x real time$", Assert.Single(said));
    }

    [Fact]
    public void Instruments_the_orchestra_does_not_define_are_named_before_the_show()
    {
        // A route to a missing instrument rendered silence with exit status 0 and no word about it.
        using var dir = new TempDir();
        File.Copy(TestData.Path("midi", "dc-keys.csd"), dir.File("keys.csd"));
        File.WriteAllText(dir.File("patch.yaml"), """
            midi:
              channels:
                1: { instrument: 5 }
                2: { instrument: 1 }
            osc:
              routes:
                - { address: /hit, event: "i 7 0 0.1" }
                - { address: /ok, event: "i 1 0 0.1" }
                - { address: /any, event: "i $1 0 0.1" }
            """);
        var mid = Write(dir.File("a.mid"), Concat(Header(0, 1, 480), Track(Concat(At(0, 0x90, 60, 100), At(480, 0x80, 60, 0), EndOfTrack))));
        var render = ProcessRunner.CsPyLive("render", dir.Path, "--midi", mid, "-o", dir.File("out.wav"), "--duration", "0.5");
        Assert.True(render.ExitCode == 0, render.Output);
        Assert.Single(render.StdErr.Split('\n'), l => l.Contains("does not define"));
        Assert.Contains("patch.yaml: midi channel 1 plays instrument 5, which the orchestra does not define (it has 1): its notes will do nothing", render.StdErr);

        var play = ProcessRunner.CsPyLive("play", dir.Path, "--audio", "null", "--duration", "0.3", "--osc-port", "0", "--no-tui");
        Assert.True(play.ExitCode == 0, play.Output);
        Assert.Contains("patch.yaml: osc route /hit plays instrument 7, which the orchestra does not define (it has 1): its events will do nothing", play.StdErr);
        Assert.DoesNotContain("route /ok", play.StdErr);
        Assert.DoesNotContain("route /any", play.StdErr);
    }
}
