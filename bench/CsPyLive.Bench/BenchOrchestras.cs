using System.Globalization;

namespace CsPyLive.Bench;

/// <summary>Orchestras the benchmarks share, so that their numbers describe the same workload.</summary>
internal static class BenchOrchestras
{
    /// <summary>
    /// DSP only, no Python: six vco2 pairs through moogladder, sr 48000, ksmps 32, stereo, for <paramref name="seconds"/>.
    /// </summary>
    public static string DspOnly(double seconds) => """
        <CsoundSynthesizer>
        <CsInstruments>
        sr = 48000
        ksmps = 32
        nchnls = 2
        0dbfs = 1
        instr 1
          kcut expseg 200, p3 / 2, 6000, p3 / 2, 300
          a1 vco2 0.1, p4
          a2 vco2 0.1, p4 * 1.005, 2, 0.3
          af moogladder a1 + a2, kcut, 0.5
          aL, aR pan2 af, p5
          outs aL, aR
        endin
        </CsInstruments>
        <CsScore>
        i1 0 DUR 110 0.2
        i1 0 DUR 165 0.4
        i1 0 DUR 220 0.6
        i1 0 DUR 277 0.8
        i1 0 DUR 330 0.5
        i1 0 DUR 440 0.3
        </CsScore>
        </CsoundSynthesizer>
        """.Replace("DUR", seconds.ToString(CultureInfo.InvariantCulture));
}
