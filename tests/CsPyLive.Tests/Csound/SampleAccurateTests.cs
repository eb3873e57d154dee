using CsPyLive.Csound;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Csound;

/// <summary>In sample-accurate mode an event queued for a frame starts on that frame, wherever it falls in a k-cycle.</summary>
public sealed class SampleAccurateTests
{
    // Each note adds a constant (a step), so its first frame is its onset; p3 -1 holds it.
    private const string Steps = "instr 1\n  asig upsamp p4\n  outs asig, asig\nendin";

    /// <summary>The frames where the left channel steps up.</summary>
    private static List<long> Onsets(float[] interleaved)
    {
        var onsets = new List<long>();
        for (var i = 2; i < interleaved.Length; i += 2)
            if (interleaved[i] - interleaved[i - 2] > 0.005) onsets.Add(i / 2);
        return onsets;
    }

    [Theory]
    [InlineData(64, 256)]
    [InlineData(100, 256)]
    [InlineData(32, 48)]
    [InlineData(1, 64)]
    public void Events_start_on_their_frame_at_any_ksmps(int ksmps, int period)
    {
        using var engine = TestEngines.Start(TestEngines.Csd(Steps, "f 0 3600", $"sr = 48000\nksmps = {ksmps}\nnchnls = 2\n0dbfs = 1"), sampleAccurate: true);
        // frames at every offset class: 0, 17, the middle, the last frame of a k-cycle, and 12000 apart
        var wanted = new List<long> { 4800, 4800 + 17, 9600 + ksmps / 2, 14400 + ksmps - 1, 24000 + 3 * ksmps + 40 % ksmps, 36000, 48000, 60000 };
        var output = new List<float>();
        var buffer = new float[period * 2];
        var next = 0;
        while (engine.FramesPerformed < 72000)
        {
            // queued one period ahead, as an input stamped in the period before is
            while (next < wanted.Count && wanted[next] < engine.OutputFrame + 2 * period)
                Assert.True(engine.Enqueue(TimedAction.ScoreEvent(wanted[next++], 'i', [1, 0, 0.11, 0.01]))); // 5280 frames: no end meets a start
            engine.Process(buffer, ReadOnlySpan<float>.Empty, period);
            output.AddRange(buffer);
        }
        Assert.Equal(wanted, Onsets(output.ToArray()));
    }

    [Fact]
    public void Without_it_an_event_starts_at_its_k_cycle_as_csound_does()
    {
        using var engine = TestEngines.Start(TestEngines.Csd(Steps, "f 0 3600"));
        var output = new List<float>();
        var buffer = new float[256 * 2];
        Assert.True(engine.Enqueue(TimedAction.ScoreEvent(4800 + 40, 'i', [1, 0, 0.5, 0.01])));
        while (engine.FramesPerformed < 9600)
        {
            engine.Process(buffer, ReadOnlySpan<float>.Empty, 256);
            output.AddRange(buffer);
        }
        Assert.Equal([4800L], Onsets(output.ToArray())); // ksmps 64: the k-cycle 4800..4863 holds it
    }
}
