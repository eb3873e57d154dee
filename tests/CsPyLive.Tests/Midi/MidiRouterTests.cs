using CsPyLive.Inputs;
using CsPyLive.Midi;
using CsPyLive.Tests.Support;
using static CsPyLive.Tests.Midi.MidiPlayback;

namespace CsPyLive.Tests.Midi;

/// <summary>The note router against a real engine: what sounds, from which frame, and what releases it.</summary>
public sealed class MidiRouterTests
{
    // upsamp, not a(): a() interpolates across the k-cycle. Left: the sum of note/1000 over sounding notes, with a 50 ms (2400-frame) linear release. Right: a monitor.
    private const string Orchestra = """
        instr 1
          kenv linsegr 1, 1, 1, 0.05, 0
          outs upsamp(p4 / 1000 * kenv), a(0)
        endin
        instr 7
          kenv linsegr 1, 1, 1, 0.05, 0
          outs upsamp(p5 * p6 * kenv), a(0)
        endin
        instr 50
          Sname = "MONITOR"
          outs a(0), upsamp(chnget:k(Sname))
        endin
        """;

    private static CsPyLive.Csound.Engine Start(string monitor = "midi.1.bend") =>
        TestEngines.Start(TestEngines.Csd(Orchestra.Replace("MONITOR", monitor), "i50 0 100", "sr = 48000\nksmps = 16\nnchnls = 2\n0dbfs = 1"));

    [Fact]
    public void A_note_sounds_from_the_k_cycle_holding_its_frame_and_releases_exactly_its_instance()
    {
        using var engine = Start();
        var router = new MidiRouter(new ActionSink(engine));
        var output = Play(engine, router,
        [
            (1000, MidiMessage.NoteOn(Ch(1), 60, 100)),
            (1500, MidiMessage.NoteOn(Ch(1), 64, 100)),
            (5000, MidiMessage.NoteOff(Ch(1), 60)),
        ], 12000);
        Assert.Equal(0, Left(output, 991), 6);
        Assert.Equal(0.060, Left(output, 992), 6);   // 1000 lies in the k-cycle 992..1007
        Assert.Equal(0.124, Left(output, 1500), 6);
        Assert.Equal(0.124, Left(output, 4991), 6);
        Assert.True(Left(output, 6000) is > 0.065 and < 0.124, $"{Left(output, 6000)}: mid-release");
        Assert.Equal(0.064, Left(output, 11000), 6);  // 60's release is over; 64 holds
        Assert.Equal(1.060, router.InstanceOf(Ch(1), 60), 9);
    }

    [Fact]
    public void The_sustain_pedal_holds_releases_until_it_comes_up_and_a_restruck_key_replaces_its_note()
    {
        using var engine = Start();
        var router = new MidiRouter(new ActionSink(engine));
        var output = Play(engine, router,
        [
            (100, MidiMessage.NoteOn(Ch(1), 60, 100)),
            (1000, MidiMessage.ControlChange(Ch(1), 64, 127)),
            (2000, MidiMessage.NoteOff(Ch(1), 60)),
            (3000, MidiMessage.NoteOn(Ch(1), 62, 90)),
            (4000, MidiMessage.NoteOff(Ch(1), 62)),
            (6000, MidiMessage.NoteOn(Ch(1), 62, 90)),   // struck again while the pedal holds the old one
            (7000, MidiMessage.NoteOff(Ch(1), 62)),
            (12000, MidiMessage.ControlChange(Ch(1), 64, 0)),
        ], 18000);
        Assert.Equal(0.122, Left(output, 5500), 6);
        Assert.Equal(0.122, Left(output, 11900), 6); // re-strike replaced 62 (not 0.184), pedal holds both
        Assert.Equal(0, Left(output, 17000), 6);     // pedal up released everything
    }

    [Fact]
    public void Controllers_bend_and_pressure_reach_their_channels_at_their_frame()
    {
        using var bend = Start("midi.1.bend");
        var output = Play(bend, new MidiRouter(new ActionSink(bend)),
            [(1000, MidiMessage.PitchBend(Ch(1), 16383)), (2000, MidiMessage.PitchBend(Ch(1), 0)), (3000, MidiMessage.PitchBend(Ch(1), 8192))], 4000);
        Assert.Equal(0, Right(output, 991));
        Assert.Equal(1, Right(output, 992));
        Assert.Equal(-1, Right(output, 2000));
        Assert.Equal(0, Right(output, 3500));

        using var cc = Start("midi.3.cc1");
        output = Play(cc, new MidiRouter(new ActionSink(cc)), [(500, MidiMessage.ControlChange(Ch(3), 1, 127)), (900, MidiMessage.ControlChange(Ch(3), 1, 64))], 1200);
        Assert.Equal(1, Right(output, 500));
        Assert.Equal(64 / 127.0, Right(output, 1000), 6);

        using var named = Start("cutoff");
        var config = new MidiConfig { Cc = new() { [74] = "cutoff" } };
        output = Play(named, new MidiRouter(new ActionSink(named), config), [(500, MidiMessage.ControlChange(Ch(9), 74, 127))], 1000);
        Assert.Equal(1, Right(output, 600));
    }

    [Fact]
    public void Patch_config_maps_a_channel_to_an_instrument_with_extra_pfields_and_a_velocity_curve()
    {
        using var engine = Start();
        var config = new MidiConfig
        {
            Channels = new() { [2] = new MidiChannelConfig { Instrument = 7, Pfields = [0.5], Velocity = new VelocityCurve { Curve = 2, Min = 0, Max = 1 } } },
        };
        var router = new MidiRouter(new ActionSink(engine), config);
        var output = Play(engine, router, [(100, MidiMessage.NoteOn(Ch(2), 60, 64)), (3000, MidiMessage.NoteOff(Ch(2), 60))], 6000);
        Assert.Equal(0.5 * Math.Pow(64 / 127.0, 2), Left(output, 1000), 6);
        Assert.Equal(0, Left(output, 5900), 6);
        Assert.Equal(7.060, router.InstanceOf(Ch(2), 60), 9);
    }

    [Fact]
    public void All_notes_off_and_panic_release_everything()
    {
        using var engine = Start();
        var router = new MidiRouter(new ActionSink(engine));
        var output = Play(engine, router,
        [
            (100, MidiMessage.NoteOn(Ch(1), 60, 100)),
            (100, MidiMessage.NoteOn(Ch(1), 67, 100)),
            (2000, MidiMessage.ControlChange(Ch(1), 123, 0)),
        ], 6000);
        Assert.Equal(0.127, Left(output, 1000), 6);
        Assert.Equal(0, Left(output, 5000), 6);

        // Panic from another thread, with the pedal down and no note-off ever sent.
        output = Play(engine, router,
        [
            (100, MidiMessage.ControlChange(Ch(1), 64, 127)),
            (200, MidiMessage.NoteOn(Ch(1), 50, 100)),
            (300, MidiMessage.NoteOff(Ch(1), 50)),
        ], 8000, beforePeriod: frame => { if (frame == 2048) Task.Run(router.ReleaseAll).Wait(); });
        Assert.Equal(0.050, Left(output, 1500), 6);
        Assert.Equal(0, Left(output, 7000), 6);
        // and the router forgot the pedal: the next note-off releases at once
        output = Play(engine, router, [(0, MidiMessage.NoteOn(Ch(1), 70, 1)), (1000, MidiMessage.NoteOff(Ch(1), 70))], 5000);
        Assert.Equal(0.070, Left(output, 500), 6);
        Assert.Equal(0, Left(output, 4500), 6);
    }

    [Fact]
    public void An_osc_panic_releases_held_notes_and_makes_the_router_forget_its_pedal()
    {
        using var engine = Start();
        var sink = new ActionSink(engine);
        var router = new MidiRouter(sink);
        // The show's panic, with the MIDI input it makes forget: the production classes a show builds.
        var panic = new CsPyLive.Live.ShowPanic(engine, [1], [new MidiInputStream(sink, router)]);
        using var osc = new CsPyLive.Osc.OscInput(engine, sink, new CsPyLive.Osc.OscConfig(), null, panic, (_, _) => { });
        var output = Play(engine, router,
        [
            (100, MidiMessage.ControlChange(Ch(1), 64, 127)),
            (200, MidiMessage.NoteOn(Ch(1), 50, 100)),
            (300, MidiMessage.NoteOff(Ch(1), 50)),
        ], 8000, beforePeriod: frame => { if (frame == 2048) osc.Dispatcher.OnPacket(CsPyLive.Tests.Osc.OscModel.Message("/panic"), null); });
        Assert.Equal(0.050, Left(output, 1500), 6);
        Assert.Equal(0, Left(output, 7000), 6);
        output = Play(engine, router, [(0, MidiMessage.NoteOn(Ch(1), 70, 1)), (1000, MidiMessage.NoteOff(Ch(1), 70))], 5000);
        Assert.Equal(0.070, Left(output, 500), 6);
        Assert.Equal(0, Left(output, 4500), 6); // the pedal the router had seen down no longer holds it
    }

    [Fact]
    public void Routing_allocates_nothing()
    {
        using var engine = Start();
        var router = new MidiRouter(new ActionSink(engine));
        var buffer = new float[256 * 2];
        MidiMessage[] messages =
        [
            MidiMessage.NoteOn(Ch(1), 60, 100), MidiMessage.ControlChange(Ch(1), 1, 30), MidiMessage.PitchBend(Ch(1), 9000),
            MidiMessage.ControlChange(Ch(1), 64, 127), MidiMessage.NoteOff(Ch(1), 60), MidiMessage.ControlChange(Ch(1), 64, 0),
        ];
        void Run(int periods)
        {
            for (var p = 0; p < periods; p++)
            {
                router.Send(messages[p % messages.Length], engine.OutputFrame + p % 200);
                engine.Process(buffer, default, 256);
            }
        }
        Run(600);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(3000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, engine.DroppedActions);
    }
}
