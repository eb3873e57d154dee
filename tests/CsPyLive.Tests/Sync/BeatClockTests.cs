using CsPyLive.Config;
using CsPyLive.Live;
using CsPyLive.Sync;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// The host's beat clock without Link (<c>--sync none</c>): the channels advance with the frames at the start tempo,
/// are set before each k-cycle, follow a tempo change without a jump, and cost no allocation on the audio thread.
/// </summary>
public sealed class BeatClockTests
{
    private const int Ksmps = 64;
    private const int Period = 256;
    private const double Sr = 48000;

    /// <summary>The beat and the bar phase as audio: each output frame holds what its k-cycle read.</summary>
    private static readonly string ClockOrchestra = TestEngines.Csd("""
        instr 1
          kbeat chnget "beat"
          kphase chnget "bar_phase"
          outs upsamp(kbeat), upsamp(kphase)
        endin
        """, "i1 0 100", header: $"sr = {Sr}\nksmps = {Ksmps}\nnchnls = 2\n0dbfs = 1");

    /// <summary>Plays <paramref name="periods"/> periods as ShowCallback does: the clock's period, then the engine's.</summary>
    private static float[] Play(CsPyLive.Csound.Engine engine, BeatClock clock, int periods, Action<int>? before = null)
    {
        var output = new float[periods * Period * 2];
        for (var p = 0; p < periods; p++)
        {
            before?.Invoke(p);
            clock.BeginPeriod(engine.OutputFrame);
            engine.Process(output.AsSpan(p * Period * 2, Period * 2), ReadOnlySpan<float>.Empty, Period);
        }
        return output;
    }

    [Fact]
    public void Without_Link_the_beat_advances_with_the_frames_at_the_start_tempo_and_each_k_cycle_reads_its_own()
    {
        using var engine = TestEngines.Start(ClockOrchestra);
        var clock = new BeatClock(new SyncConfig { Tempo = 90, Quantum = 3 }, Sr, engine);
        engine.KCycleObserver = clock;
        var output = Play(engine, clock, 400); // 2.13 s
        for (var frame = 0; frame < 400 * Period; frame += 37)
        {
            var kStart = frame - frame % Ksmps;
            var beat = kStart * 90 / (60 * Sr);
            Assert.Equal(beat, output[2 * frame], 4);
            Assert.Equal(beat % 3 / 3, output[2 * frame + 1], 4);
        }
        Assert.Equal(90, engine.ReadChannel(engine.ChannelSlot("tempo")));
        Assert.Equal(3, engine.ReadChannel(engine.ChannelSlot("quantum")));
        Assert.Equal(1, engine.ReadChannel(engine.ChannelSlot("playing")));
        Assert.Equal(400 * Period / Ksmps, clock.KCycles);
    }

    [Fact]
    public void A_tempo_change_applies_from_the_next_period_without_a_jump_in_the_beat()
    {
        using var engine = TestEngines.Start(ClockOrchestra);
        var clock = new BeatClock(new SyncConfig { Tempo = 120 }, Sr, engine);
        engine.KCycleObserver = clock;
        Assert.False(clock.RequestTempo(5000));
        var output = Play(engine, clock, 200, p => { if (p == 100) Assert.True(clock.RequestTempo(60)); });
        var change = 100 * Period;
        var atChange = change * 120 / (60 * Sr); // 1.0666 beats
        Assert.Equal(atChange - Ksmps * 2 / Sr, output[2 * (change - 1)], 4);
        Assert.Equal(atChange, output[2 * change], 4);
        Assert.Equal(atChange + Ksmps * 1 / Sr, output[2 * (change + Ksmps)], 4); // half the slope
        Assert.Equal(60, clock.Tempo);
    }

    [Fact]
    public void The_next_bar_and_beat_are_whole_frames_of_the_timeline()
    {
        var clock = new BeatClock(new SyncConfig { Tempo = 120, Quantum = 4 }, Sr, engine: null);
        Assert.Equal(96_000, clock.NextBoundaryFrame(QuantizeTo.Bar, 1));
        Assert.Equal(96_000, clock.NextBoundaryFrame(QuantizeTo.Bar, 96_000));
        Assert.Equal(192_000, clock.NextBoundaryFrame(QuantizeTo.Bar, 96_001));
        Assert.Equal(48_000, clock.NextBoundaryFrame(QuantizeTo.Beat, 30_000));
        Assert.Equal(30_000, clock.NextBoundaryFrame(QuantizeTo.None, 30_000));
        clock.RequestTempo(60);
        clock.BeginPeriod(24_000); // beat 1 at the anchor, then a beat a second
        Assert.Equal(24_000 + 3 * 48_000, clock.NextBoundaryFrame(QuantizeTo.Bar, 24_001));
        Assert.Equal(24_000 + 48_000, clock.NextBoundaryFrame(QuantizeTo.Beat, 24_001));
    }

    [Fact]
    public void The_clock_allocates_nothing_on_the_audio_thread()
    {
        using var engine = TestEngines.Start(ClockOrchestra);
        var clock = new BeatClock(new SyncConfig(), Sr, engine);
        engine.KCycleObserver = clock;
        var buffer = new float[Period * 2];
        var before = 0L;
        for (var i = 0; i < 6000; i++)
        {
            if (i == 1000) before = GC.GetAllocatedBytesForCurrentThread(); // after the first calls
            if (i % 500 == 0) clock.RequestTempo(100 + i / 100);
            clock.BeginPeriod(engine.OutputFrame);
            engine.Process(buffer, ReadOnlySpan<float>.Empty, Period);
            _ = clock.NextBoundaryFrame(QuantizeTo.Bar, engine.FramesPerformed);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Patch_yaml_has_a_sync_section_read_by_its_schema()
    {
        var config = PatchConfig.Parse("sync:\n  source: link\n  quantum: 3\n  tempo: 96.5\n");
        Assert.Equal(new SyncConfig { Source = SyncSource.Link, Quantum = 3, Tempo = 96.5 }, config.Sync);
        Assert.Equal(new SyncConfig(), PatchConfig.Parse("midi: {}").Sync);
        Assert.Equal(new SyncConfig { Source = SyncSource.Midi, MidiClockOut = true }, PatchConfig.Parse("sync: {source: midi, midi_clock_out: true}").Sync);
        Assert.Contains("sync.source", Assert.Throws<ConfigException>(() => PatchConfig.Parse("sync:\n  source: mtc\n")).Message);
        Assert.Contains("sync.tempo", Assert.Throws<ConfigException>(() => PatchConfig.Parse("sync:\n  tempo: 2000\n")).Message);
        Assert.Contains("allowed here: source, quantum, tempo, midi_clock_out, start_stop, jack_transport_master", Assert.Throws<ConfigException>(() => PatchConfig.Parse("sync:\n  bpm: 100\n")).Message);
    }

    [Fact]
    public void Render_gives_the_orchestras_Python_the_cspylive_module_with_the_start_tempo_from_patch_yaml()
    {
        using var dir = new TempDir();
        dir.Write("patch.yaml", "sync:\n  tempo: 150\n  quantum: 3\n");
        dir.Write("main.csd", TestEngines.Csd("""
            pyinit
            pyruni {{
            import cspylive
            seen = -1
            def tick():
                global seen
                b = cspylive.beat()
                if int(b) != seen:
                    seen = int(b)
                    print('clock %.6f %.1f %.1f' % (b, cspylive.tempo(), cspylive.quantum()))
                    if seen == 2:
                        cspylive.set_tempo(75)
                return 0.0
            }}
            instr 1
              k1 pycall1 "tick"
            endin
            """, "i1 0 3"));
        var r = ProcessRunner.CsPyLive("render", dir.Path, "-o", dir.File("out.wav"));
        Assert.True(r.ExitCode == 0, r.Output);
        var lines = r.Output.Split('\n').Where(l => l.StartsWith("clock ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        // 150 BPM: a beat every 19200 frames (300 k-cycles of 64), so each whole beat is a k-cycle's first frame
        Assert.Equal(["clock 0.000000 150.0 3.0", "clock 1.000000 150.0 3.0", "clock 2.000000 150.0 3.0"], lines.Take(3));
        Assert.StartsWith("clock 3.0", lines[3]); // 75 BPM from the next period on
        Assert.EndsWith("75.0 3.0", lines[3]);
    }
}
