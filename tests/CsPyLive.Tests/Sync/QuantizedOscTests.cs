using CsPyLive.Inputs;
using CsPyLive.Live;
using CsPyLive.Osc;
using CsPyLive.Sync;
using CsPyLive.Tests.Osc;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// Quantized OSC: a route with <c>quantize: bar|beat|&lt;beats&gt;</c> and <c>/event/q</c> land on the next boundary of
/// the beat clock, on its own frame (live play is sample-accurate, ADR 0014), in an engine played period by period.
/// </summary>
[Collection("Python")]
public sealed class QuantizedOscTests
{
    private const int Period = 256;

    /// <summary>Instrument 2 sounds a constant p4 from its first frame: its onset is the first non-zero sample.</summary>
    private static readonly string Orchestra = TestEngines.Csd("""
        instr 2
          asig upsamp p4
          outs asig, asig
        endin
        """, "f 0 3600", header: "sr = 48000\nksmps = 100\nnchnls = 2\n0dbfs = 1");

    /// <summary>Plays periods with the clock as a show does, sends <paramref name="send"/> at <paramref name="atPeriod"/>; returns the left channel.</summary>
    private static float[] Play(string yaml, double bpm, int periods, int atPeriod, Action<OscDispatcher> send)
    {
        using var engine = TestEngines.Start(Orchestra, sampleAccurate: true);
        engine.SetPeriod(Period);
        var config = PatchConfig.Parse(yaml);
        var clock = new BeatClock(new SyncConfig { Tempo = bpm, Quantum = 4 }, engine.SampleRate, engine);
        engine.KCycleObserver = clock;
        using var osc = new OscInput(engine, new ActionSink(engine), config.Osc ?? new OscConfig(), null, new ShowPanic(engine, [], []), (_, _) => { }, clock);
        var output = new float[periods * Period * 2];
        for (var p = 0; p < periods; p++)
        {
            if (p == atPeriod) send(osc.Dispatcher);
            clock.BeginPeriod(engine.OutputFrame);
            engine.Process(output.AsSpan(p * Period * 2, Period * 2), ReadOnlySpan<float>.Empty, Period);
        }
        return output.Where((_, i) => i % 2 == 0).ToArray();
    }

    private static List<int> Onsets(float[] left, float level) =>
        Enumerable.Range(1, left.Length - 1).Where(i => Math.Abs(left[i] - level) < 1e-6 && Math.Abs(left[i - 1] - level) > 1e-6).ToList();

    [Fact]
    public void A_route_with_quantize_bar_starts_its_event_on_the_next_bars_frame()
    {
        // 130 BPM, 4 beats a bar: a bar is 88615.38 frames, so bar 2 starts at frame 88616 (the first at or after it),
        // a frame that neither ksmps (100) nor the period (256) divides. Sent at 0.3 s.
        var left = Play("osc: { routes: [ { address: /go, event: \"i 2 0 0.05 $1\", quantize: bar } ] }", 130, 500, 56,
            d => d.OnPacket(OscModel.Message("/go", 0.5f), null));
        var bar = (int)Math.Ceiling(4 * 60 * 48000 / 130.0);
        Assert.Equal([bar], Onsets(left, 0.5f));
    }

    [Fact]
    public void Quantize_beat_and_a_number_of_beats_and_event_q()
    {
        // 120 BPM: a beat is 24000 frames. Sent at period 100 (frame 25600, beat 1.07).
        var left = Play("""
            osc:
              routes:
                - { address: /beat, event: "i 2 0 0.01 $1", quantize: beat }
                - { address: /half, event: "i 2 0 0.01 $1", quantize: 0.5 }
            """, 120, 400, 100, d =>
        {
            d.OnPacket(OscModel.Message("/beat", 0.25f), null);
            d.OnPacket(OscModel.Message("/half", 0.125f), null);
            d.OnPacket(OscModel.Message("/event/q", "bar", "i 2 0 0.01 0.75"), null);
        });
        Assert.Equal([48000], Onsets(left, 0.25f));   // the next beat: 2
        Assert.Equal([36000], Onsets(left, 0.125f));  // the next half beat: 1.5
        Assert.Equal([96000], Onsets(left, 0.75f));   // the next bar: beat 4
    }

    [Fact]
    public void A_bad_quantize_is_refused_with_the_route_named()
    {
        var e = Assert.Throws<CsPyLive.Config.ConfigException>(() => PatchConfig.Parse("osc: { routes: [ { address: /go, event: \"i 2 0 1\", quantize: often } ] }"));
        Assert.Contains("quantize", e.Message);
        Assert.Equal(new Quantization(QuantizeTo.None, 0.5), Quantization.Parse("0.5"));
        Assert.Equal(new Quantization(QuantizeTo.Bar), Quantization.Parse("bar"));
    }
}
