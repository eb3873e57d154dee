using CsPyLive.Csound;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Csound;

public sealed class EngineTests
{
    private static readonly string Tone = TestEngines.Csd("""
        instr 1
          a1 poscil 0.3, p4
          aenv linseg 0, 0.01, 1, p3 - 0.02, 1, 0.01, 0
          outs a1 * aenv, a1 * aenv * 0.5
        endin
        """, "i1 0 0.3 440\ni1 0.1 0.21 550", "sr = 44100\nksmps = 441\nnchnls = 2\n0dbfs = 1");

    [Theory]
    [InlineData(256)]
    [InlineData(441)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(8192 + 37)]
    public void Output_does_not_depend_on_the_block_size(int block)
    {
        using var whole = TestEngines.Start(Tone);
        var expected = TestEngines.Render(whole, whole.Ksmps);
        using var blocked = TestEngines.Start(Tone);
        var actual = TestEngines.Render(blocked, block);
        Assert.True(expected.Max() > 0.1f);
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Reports_the_orchestra_header()
    {
        using var engine = TestEngines.Start(Tone);
        Assert.Equal((44100.0, 441, 2, 1.0), (engine.SampleRate, engine.Ksmps, engine.OutputChannels, engine.ZeroDbfs));
    }

    [Fact]
    public void A_queued_score_event_starts_in_the_k_cycle_that_holds_its_frame()
    {
        var csd = TestEngines.Csd("""
            instr 1
              outs a(1), a(1)
            endin
            """, "f0 1", "sr = 48000\nksmps = 64\nnchnls = 2\n0dbfs = 1");
        using var engine = TestEngines.Start(csd);
        const long frame = 64 * 10 + 17; // inside the 11th k-cycle
        Assert.True(engine.Enqueue(TimedAction.ScoreEvent(frame, 'i', [1, 0, 0.01])));
        var output = TestEngines.Render(engine, 100, maxFrames: 2000);
        var firstLoud = Array.FindIndex(output, s => s != 0) / 2;
        Assert.Equal(64 * 10, firstLoud);
    }

    [Fact]
    public void Actions_queued_out_of_order_apply_in_frame_order()
    {
        var csd = TestEngines.Csd("""
            instr 1
              k1 chnget "level"
              aval upsamp k1
              outs aval, aval
            endin
            """, "i1 0 1");
        using var engine = TestEngines.Start(csd);
        var slot = engine.ChannelSlot("level");
        engine.Enqueue(TimedAction.ChannelWrite(64 * 20, slot, 0.75));
        engine.Enqueue(TimedAction.ChannelWrite(64 * 5, slot, 0.25));
        var output = TestEngines.Render(engine, 64, maxFrames: 64 * 30);
        Assert.Equal(0f, output[2 * (64 * 5 - 1)]);
        Assert.Equal(0.25f, output[2 * 64 * 5]);
        Assert.Equal(0.25f, output[2 * (64 * 20 - 1)]);
        Assert.Equal(0.75f, output[2 * 64 * 20]);
        Assert.Equal(0.75, engine.ReadChannel(slot));
    }

    [Fact]
    public void A_held_note_on_a_fractional_instance_releases_only_that_instance()
    {
        var csd = TestEngines.Csd("""
            instr 1
              outs a(p4), a(0)
            endin
            """, "f0 1");
        using var engine = TestEngines.Start(csd);
        engine.Enqueue(TimedAction.ScoreEvent(0, 'i', [1.1, 0, -1, 0.25]));
        engine.Enqueue(TimedAction.ScoreEvent(0, 'i', [1.2, 0, -1, 0.5]));
        engine.Enqueue(TimedAction.Kill(64 * 4, 1.1));
        var output = TestEngines.Render(engine, 64, maxFrames: 64 * 8);
        Assert.Equal(0.75f, output[2 * 64 * 2]);
        Assert.Equal(0.5f, output[2 * 64 * 6]);
    }

    [Fact]
    public void Process_allocates_nothing_in_steady_state()
    {
        var csd = TestEngines.Csd("""
            instr 1
              k1 chnget "level"
              a1 poscil k1, 220
              outs a1, a1
            endin
            """, "i1 0 100");
        using var engine = TestEngines.Start(csd);
        var slot = engine.ChannelSlot("level");
        var buffer = new float[300 * 2];
        // A collection expression of doubles allocates an array each time: build the p-fields on the stack.
        Span<double> undefinedInstrument = stackalloc double[] { 2, 0, 0 };
        var before = 0L;
        for (var i = 0; i < 6000; i++)
        {
            if (i == 1000) before = GC.GetAllocatedBytesForCurrentThread(); // after warm-up: JIT tiers, first calls
            engine.Enqueue(TimedAction.ChannelWrite(0, slot, i % 2 * 0.5));
            engine.Enqueue(TimedAction.ScoreEvent(0, 'i', undefinedInstrument)); // Csound complains; we still may not allocate
            engine.Process(buffer, ReadOnlySpan<float>.Empty, 300);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Messages_arrive_in_order_as_lines()
    {
        var csd = TestEngines.Csd("""
            instr 1
              prints "first %d\n", p4
              prints "second\n"
            endin
            """, "i1 0 0.01 7\ni1 0.02 0.01 8");
        using var engine = TestEngines.Start(csd);
        TestEngines.Render(engine, 256);
        var lines = TestEngines.DrainLines(engine).Where(l => l.StartsWith("first") || l.StartsWith("second")).ToList();
        Assert.Equal(["first 7", "second", "first 8", "second"], lines);
    }

    [Fact]
    public void Input_reaches_the_orchestra_with_a_constant_delay()
    {
        using var engine = TestEngines.Start(InputThroughCsd(""));
        var block = 100; // not a multiple of ksmps: one k-cycle of delay
        var input = new float[block];
        var output = new float[block * 2];
        var seen = new List<float>();
        for (var b = 0; b < 10; b++)
        {
            for (var i = 0; i < block; i++) input[i] = b * block + i + 1;
            engine.Process(output, input, block);
            for (var i = 0; i < block; i++) seen.Add(output[2 * i]);
        }
        Assert.All(Enumerable.Range(0, 64), i => Assert.Equal(0f, seen[i]));
        Assert.All(Enumerable.Range(64, 900), i => Assert.Equal(i - 64 + 1, seen[i]));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("-iadc", 1)]
    [InlineData("-i adc", 1)]
    [InlineData("--input=adc:system:capture_", 1)]
    public void Live_audio_input_is_what_the_options_ask_for_as_in_Csound(string options, int expected)
    {
        using var engine = TestEngines.Start(InputThroughCsd(options));
        Assert.Equal(1, engine.InputChannels);
        Assert.Equal(expected, engine.AudioInputChannels);

        // Asked for or not, Csound leaves spin to us (host-implemented audio): what we hand in is what it reads.
        var input = Enumerable.Range(0, 128).Select(i => i / 128f).ToArray();
        var output = new float[256];
        engine.Process(output, input, 128);
        Assert.Equal(Enumerable.Range(0, 128).Select(i => i / 128f), Enumerable.Range(0, 128).Select(i => output[2 * i]));
    }

    /// <summary>Input channel 1 straight to both outputs, mono in (nchnls_i = 1), with <paramref name="options"/>.</summary>
    private static string InputThroughCsd(string options) => TestEngines.Csd("""
        instr 1
          a1 inch 1
          outs a1, a1
        endin
        """, "i1 0 1", "sr = 48000\nksmps = 64\nnchnls = 2\nnchnls_i = 1\n0dbfs = 1", options);
}
