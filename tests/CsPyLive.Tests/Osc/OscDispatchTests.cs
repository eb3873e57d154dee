using CsPyLive.Inputs;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Osc;
using CsPyLive.Python;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Osc;

/// <summary>The dispatcher in process, against a real engine: what each address does, and when.</summary>
[Collection("Python")]
public sealed class OscDispatchTests
{
    // instr 1 copies "level" to "seen" inside the k-cycle: a write applied at the k-boundary is visible at once.
    private const string Orchestra = """
        instr 1
          k1 chnget "level"
          chnset k1, "seen"
        endin
        instr 2
          chnset p4, "note"
        endin
        instr 3
          kc init 0
          kc += 1
          chnset kc, "alive"
        endin
        """;

    private static Engine Start() => TestEngines.Start(TestEngines.Csd(Orchestra, "i 1 0 3600\ni 3 0 3600"));

    /// <summary>OSC as a show builds it, without sockets, with the show's panic over instrument 3.</summary>
    private static OscInput Service(Engine engine, string yaml = "osc: {}") =>
        new(engine, new ActionSink(engine), PatchConfig.Parse(yaml).Osc!, null, new ShowPanic(engine, [3], []), (_, _) => { });

    [Fact]
    public void Channel_writes_apply_before_the_next_k_cycles_instruments()
    {
        using var engine = Start();
        using var osc = Service(engine);
        engine.PerformKCycle();
        osc.Dispatcher.OnPacket(OscModel.Message("/chn/level", 0.75f), null);
        engine.PerformKCycle();
        Assert.Equal(0.75, engine.ReadChannel(engine.ChannelSlot("seen")));
    }

    [Fact]
    public void Channel_writes_reach_channels_made_after_midis_two_thousand()
    {
        // MIDI input makes 16 x 131 channels before OSC makes any: OSC's slots start past 2,096. Before the fix
        // every such write threw inside the dispatcher (counted as an internal error) and never arrived.
        using var engine = Start();
        for (var i = 0; i < 2200; i++) engine.ChannelSlot($"midi.filler{i}");
        using var osc = Service(engine, "osc: { routes: [ { address: /1/fader1, channel: late, scale: [0, 1, 0, 10] } ] }");
        osc.Dispatcher.OnPacket(OscModel.Message("/1/fader1", 0.5f), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/chn/later", 0.25f), null);
        engine.PerformKCycle();
        Assert.Equal(5, engine.ReadChannel(engine.ChannelSlot("late")));
        Assert.Equal(0.25, engine.ReadChannel(engine.ChannelSlot("later")));
        Assert.Equal(0, osc.Dispatcher.Stats.InternalErrors);
    }

    [Fact]
    public void Python_globals_take_the_type_of_the_argument()
    {
        using var engine = Start();
        using var osc = Service(engine);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_f", 0.5f), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_i", 42), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_b", true), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_s", "hello é"), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_d", 1e-9), null);
        engine.PerformKCycle();
        Assert.Equal("0.5 42 True hello é 1e-09", PythonRuntime.Eval("f'{osc_f!r} {osc_i!r} {osc_b!r} {osc_s} {osc_d!r}'"));
        Assert.Equal("float int bool str", PythonRuntime.Eval("' '.join(type(v).__name__ for v in (osc_f, osc_i, osc_b, osc_s))"));
    }

    [Fact]
    public void Dunder_names_and_python_code_are_refused_unless_the_patch_allows_code()
    {
        using var engine = Start();
        using var osc = Service(engine);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/__builtins__", 1), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/exec", "osc_pwned = 1"), null);
        engine.PerformKCycle();
        Assert.Equal(2, osc.Dispatcher.Stats.Rejected);
        Assert.Equal("False", PythonRuntime.Eval("'osc_pwned' in globals()"));

        using var engine2 = Start();
        using var allowed = Service(engine2, "osc: { allow_python_code: true }");
        allowed.Dispatcher.OnPacket(OscModel.Message("/py/exec", "osc_allowed = [1, 2]"), null);
        engine2.PerformKCycle();
        Assert.Equal("[1, 2]", PythonRuntime.Eval("osc_allowed"));
    }

    [Fact]
    public void A_future_time_tag_applies_at_its_frame_a_past_one_at_once()
    {
        using var engine = Start();
        using var osc = Service(engine);
        var now = OscTimeTag.Now;
        osc.Dispatcher.OnPacket(OscModel.Encode(new OscBundleModel(OscTimeTag.Add(now, 0.5),
            [new OscMessageModel("/chn/level", [new OscArg('f', Real: 1)])])), null);
        osc.Dispatcher.OnPacket(OscModel.Encode(new OscBundleModel(OscTimeTag.Add(now, -3),
            [new OscMessageModel("/event/i", [new OscArg('i', 2), new OscArg('i', 0), new OscArg('f', Real: 0.1f), new OscArg('i', 9)])])), null);
        var level = engine.ChannelSlot("seen");
        var note = engine.ChannelSlot("note");
        engine.PerformKCycle();
        engine.PerformKCycle();
        Assert.Equal(9, engine.ReadChannel(note));
        while (engine.FramesPerformed < 0.45 * engine.SampleRate) engine.PerformKCycle();
        Assert.Equal(0, engine.ReadChannel(level));
        while (engine.FramesPerformed < 0.55 * engine.SampleRate) engine.PerformKCycle();
        Assert.Equal(1, engine.ReadChannel(level));
    }

    [Fact]
    public void Routes_scale_fire_templates_and_hold_triggers_for_one_k_cycle_each()
    {
        using var engine = Start();
        using var osc = Service(engine, """
            osc:
              routes:
                - { address: "/1/fader[1-2]", channel: level, scale: [0, 1, 200, 2000] }
                - { address: /1/freq, python: osc_freq, scale: [0, 1, 100, 1600], curve: exp }
                - { address: /1/push1, event: "i 2 0 0.1 $1" }
                - { address: /1/go, trigger: { value: v, trigger: t } }
            """);
        osc.Dispatcher.OnPacket(OscModel.Message("/1/fader2", 0.5f), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/1/freq", 0.5f), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/1/push1", 0f), null); // a button's release: ignored
        osc.Dispatcher.OnPacket(OscModel.Message("/1/push1", 5f), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/1/go", 0.25f), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/1/go", 0.5f), null);
        var t = engine.ChannelSlot("t");
        var v = engine.ChannelSlot("v");
        var seen = new List<(double T, double V)>();
        for (var k = 0; k < 4; k++)
        {
            engine.PerformKCycle();
            seen.Add((engine.ReadChannel(t), engine.ReadChannel(v)));
        }
        Assert.Equal(1100, engine.ReadChannel(engine.ChannelSlot("seen")), 9);
        Assert.Equal(400, double.Parse(PythonRuntime.Eval("osc_freq"), System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal(5, engine.ReadChannel(engine.ChannelSlot("note")));
        Assert.Equal([(1.0, 0.25), (1.0, 0.5), (0.0, 0.5), (0.0, 0.5)], seen);
    }

    [Fact]
    public void NaN_and_infinity_never_reach_a_channel_python_or_an_event_and_are_counted()
    {
        // A NaN written once into a filter's cutoff ruins every sample after it; an infinite tempo fires a note every k-cycle.
        using var engine = Start();
        using var osc = Service(engine, "osc: { routes: [ { address: /1/raw, channel: level } ] }");
        var seen = engine.ChannelSlot("seen");
        var note = engine.ChannelSlot("note");
        osc.Dispatcher.OnPacket(OscModel.Message("/chn/level", 0.25f), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_tempo", 1.5), null);
        engine.PerformKCycle();
        osc.Dispatcher.OnPacket(OscModel.Message("/chn/level", float.NaN), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/chn/level", double.PositiveInfinity), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/1/raw", float.NegativeInfinity), null);            // a route with no scale
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_tempo", double.PositiveInfinity), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_tempo", double.NaN), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/event/i", 2, 0, 0.1f, float.PositiveInfinity), null);
        engine.PerformKCycle();
        engine.PerformKCycle();
        Assert.Equal(0.25, engine.ReadChannel(seen));
        Assert.Equal("1.5", PythonRuntime.Eval("repr(osc_tempo)"));
        Assert.Equal(0, engine.ReadChannel(note));
        var stats = osc.Dispatcher.Stats;
        Assert.Equal(6, stats.NonFinite);
        Assert.Equal("/event/i", osc.Dispatcher.LastNonFinite);
        Assert.Equal(6, osc.Dropped); // osc_dropped in the stats counts them
    }

    [Fact]
    public void Far_future_bundles_cannot_starve_live_control_and_what_does_not_fit_is_counted()
    {
        // 5,000 bundles 5 s ahead used to fill the one heap: a live /py assignment and /panic were then lost, and the
        // global stayed ignored for good (its coalescing flag never cleared).
        using var engine = Start();
        using var osc = Service(engine);
        var alive = engine.ChannelSlot("alive");
        // 5 s ahead in the probe; here a minute, so that however slowly a loaded machine sends them, none falls due
        // (a bundle whose time has passed is for now, and took the other queue: measured under the full suite).
        var ahead = OscTimeTag.Add(OscTimeTag.Now, 60);
        for (var i = 0; i < 5000; i++)
            osc.Dispatcher.OnPacket(OscModel.Encode(new OscBundleModel(ahead, [new OscMessageModel("/chn/level", [new OscArg('f', Real: i)])])), null);
        engine.PerformKCycle();

        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_live", 1.0), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/panic"), null);
        engine.PerformKCycle();
        Assert.Equal("1.0", PythonRuntime.Eval("repr(osc_live)"));
        var atPanic = engine.ReadChannel(alive);
        for (var k = 0; k < 5; k++) engine.PerformKCycle();
        Assert.Equal(atPanic, engine.ReadChannel(alive)); // instr 3 is off: the panic came through

        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_live", 2.0), null);
        engine.PerformKCycle();
        Assert.Equal("2.0", PythonRuntime.Eval("repr(osc_live)")); // and the global still follows the fader

        // The timed queue took 4,096 of the bundles (904 were refused at its door); the heap kept 3,072 far-future
        // ones and dropped the other 1,024: each counted by kind.
        Assert.Equal(0, engine.DroppedNow);
        Assert.Equal(904, engine.DroppedTimed);
        Assert.Equal(1024, engine.DroppedFar);
        Assert.Equal(904, osc.Dispatcher.Stats.Dropped); // the ones the dispatcher saw refused
    }

    [Fact]
    public void Too_large_strings_and_tables_are_refused_for_their_size_not_reported_as_a_full_queue()
    {
        // A 600-byte /py string was reported as "the engine's queue was full"; a 16M-point table from /event stalled the
        // audio thread 891 ms without a word.
        using var engine = Start();
        var said = new List<string>();
        using var osc = new OscInput(engine, new ActionSink(engine), PatchConfig.Parse("osc: {}").Osc!, null,
            new ShowPanic(engine, [3], []), (_, line) => said.Add(line));
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_text", new string('a', 512)), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/py/osc_text", new string('b', 600)), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/event", "f 200 0 16777216 10 1"), null);
        osc.Dispatcher.OnPacket(OscModel.Message("/event", "f 201 0 1024 10 1"), null);
        engine.PerformKCycle();
        engine.PerformKCycle();
        Assert.Equal("512", PythonRuntime.Eval("str(len(osc_text))"));
        Assert.Equal((2, 0, 0), (osc.Dispatcher.Stats.TooLarge, osc.Dispatcher.Stats.Dropped, osc.Dispatcher.Stats.Rejected));
        Assert.Equal(2, osc.Dropped); // osc_dropped counts them
        osc.Tick();
        var line = Assert.Single(said);
        Assert.Contains("2 message(s) refused for their size: a /py string holds at most 512 bytes, an /event table at most 1048576 points", line);
        Assert.DoesNotContain("queue", line);
    }

    [Theory]
    [InlineData("osc: { routes: [ { address: /a, channel: c, scale: [0, 1, .nan, 10] } ] }", "osc.routes[0]")]
    [InlineData("osc: { routes: [ { address: /a, event: \"i 1 0 .inf $1\" } ] }", "osc.routes[0]")]
    [InlineData("midi: { channels: { 1: { velocity: { curve: .inf } } } }", "midi.channels.1.velocity")]
    [InlineData("midi: { channels: { 1: { velocity: { min: .nan } } } }", "midi.channels.1.velocity")]
    [InlineData("midi: { channels: { 1: { pfields: [1, .nan] } } }", "midi.channels.1.pfields")]
    [InlineData("osc: { bind: not-an-address, port: 9000 }", "osc.bind")]                       // was a FormatException and a stack trace
    [InlineData("osc: { allow: [ 10.0.0.999 ] }", "osc.allow")]
    [InlineData("panic:\n  keep:\n", "panic.keep: has no value")]                                   // found by the fuzz: a NullReferenceException
    [InlineData("osc:\n  routes:\n    -\n", "osc.routes[0]: has no value")]
    [InlineData("midi:\n  channels:\n    1:\n", "midi.channels.1: has no value")]
    [InlineData("osc: { feedback_port: 70000 }", "osc.feedback_port")]                             // was accepted, and wrapped to 4464
    [InlineData("osc: { port: 99999 }", "osc.port")]                                               // failed late, without naming the file
    [InlineData("osc:\n  port: 9000\n  port: 9001\n", "line 3, column 3: duplicate key 'port'")]  // the last one used to win silently
    public void A_patch_yaml_with_nan_infinity_or_a_bad_address_is_refused_naming_the_key(string yaml, string key)
    {
        var e = Assert.Throws<CsPyLive.Config.ConfigException>(() => PatchConfig.Parse(yaml, "patch.yaml"));
        Assert.StartsWith("patch.yaml: " + key, e.Message);
    }

    [Fact]
    public void Panic_turns_off_every_instrument_but_those_kept()
    {
        using var engine = Start();
        using var osc = Service(engine);
        var alive = engine.ChannelSlot("alive");
        for (var k = 0; k < 5; k++) engine.PerformKCycle();
        osc.Dispatcher.OnPacket(OscModel.Message("/panic"), null);
        engine.PerformKCycle();
        var atPanic = engine.ReadChannel(alive);
        osc.Dispatcher.OnPacket(OscModel.Message("/chn/level", 3f), null);
        for (var k = 0; k < 10; k++) engine.PerformKCycle();
        Assert.InRange(atPanic, 5, 7);
        Assert.Equal(atPanic, engine.ReadChannel(alive)); // instr 3 (on the panic list) no longer runs
        Assert.Equal(3, engine.ReadChannel(engine.ChannelSlot("seen"))); // instr 1 (kept) still does
    }

    [Fact]
    public void A_logged_show_records_and_writes_its_inputs_without_allocating()
    {
        using var engine = Start();
        using var dir = new TempDir();
        using var osc = Service(engine, "osc: { routes: [ { address: /1/fader1, channel: level, scale: [0, 1, 0, 10] } ] }");
        var applied = new CsPyLive.Csound.AppliedLog(engine);
        engine.Applied = applied;
        osc.PythonSide!.Applied = applied;
        var header = CsPyLive.Replay.ShowLogHeader.Describe(dir.Path, dir.File("x.csd"), engine.SampleRate, engine.Ksmps, 2, null, 25);
        using var writer = new CsPyLive.Replay.ShowLogWriter(dir.File("show.cslog"), header, engine, applied, osc.PythonSide.NameOf);
        var packets = new[]
        {
            OscModel.Message("/chn/level", 0.5f), OscModel.Message("/py/osc_alloc", 0.25f), OscModel.Message("/1/fader1", 0.5f),
            OscModel.Message("/event/i", 2, 0, 0.01f, 3), OscModel.Message("/py/osc_text", "a string"),
        };
        void Round()
        {
            foreach (var p in packets) osc.Dispatcher.OnPacket(p, null);
            engine.PerformKCycle();
        }
        for (var i = 0; i < 200; i++) Round();
        writer.Pump();
        long rounds = 0, pumps = 0;
        for (var i = 0; i < 20; i++)
        {
            var b0 = GC.GetAllocatedBytesForCurrentThread();
            for (var k = 0; k < 10; k++) Round(); // the audio thread's side: recording what it applies
            var b1 = GC.GetAllocatedBytesForCurrentThread();
            writer.Pump();                       // the control thread's: writing it out
            rounds += b1 - b0;
            pumps += GC.GetAllocatedBytesForCurrentThread() - b1;
        }
        Assert.Equal((0L, 0L), (rounds, pumps));
        Assert.Equal(0, applied.Lost);
        var text = File.ReadAllText(dir.File("show.cslog"));
        Assert.Contains("\"chn\":\"level\",\"v\":5}", text); // /chn/level 0.5 then the fader, scaled: the last value wins
        Assert.Contains("\"py\":\"osc_alloc\",\"v\":0.25,\"k\":\"f\"", text);
        Assert.Contains("\"pys\":\"osc_text\",\"s\":\"a string\"", text);
        Assert.Contains("\"i\":[2,0,0.009999999776482582,3]", text);
    }

    [Fact]
    public void Bytes_longer_than_one_record_are_written_whole()
    {
        // 100 note-ons (300 bytes) read in one k-cycle span two ring records: the log has them as one line,
        // so a replay never splits a MIDI message between two.
        using var engine = Start();
        using var dir = new TempDir();
        var applied = new CsPyLive.Csound.AppliedLog(engine);
        var header = CsPyLive.Replay.ShowLogHeader.Describe(dir.Path, dir.File("x.csd"), engine.SampleRate, engine.Ksmps, 2, null, 25);
        using var writer = new CsPyLive.Replay.ShowLogWriter(dir.File("show.cslog"), header, engine, applied, _ => "?");
        var midi = Enumerable.Range(0, 100).SelectMany(i => new byte[] { 0x90, (byte)i, 100 }).ToArray();
        applied.Bytes(CsPyLive.Csound.AppliedKind.Midi, 0, midi);
        writer.Pump();
        var lines = File.ReadAllLines(dir.File("show.cslog")).Where(l => l.Contains("\"midi\"")).ToArray();
        Assert.Single(lines);
        Assert.Contains("[" + string.Join(",", midi) + "]", lines[0]);
    }

    [Fact]
    public void Known_addresses_are_dispatched_without_allocating()
    {
        using var engine = Start();
        using var osc = Service(engine, "osc: { routes: [ { address: /1/fader1, channel: level, scale: [0, 1, 0, 10] } ] }");
        var packets = new[]
        {
            OscModel.Message("/chn/level", 0.5f), OscModel.Message("/py/osc_alloc", 0.25f), OscModel.Message("/1/fader1", 0.5f),
            OscModel.Encode(new OscBundleModel(1, [new OscMessageModel("/chn/level", [new OscArg('d', Real: 2)])])),
            OscModel.Message("/event/i", 2, 0, 0.01f, 3), OscModel.Message("/nothing/here", 1),
        };
        for (var i = 0; i < 2000; i++)
        {
            foreach (var p in packets) osc.Dispatcher.OnPacket(p, null);
            engine.PerformKCycle();
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++)
            foreach (var p in packets) osc.Dispatcher.OnPacket(p, null);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++) engine.PerformKCycle(); // the audio side: applying them
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
