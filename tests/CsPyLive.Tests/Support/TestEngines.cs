using CsPyLive.Csound;

namespace CsPyLive.Tests.Support;

/// <summary>Started engines for tests, from orchestra and score text.</summary>
public static class TestEngines
{
    public static string Csd(string orchestra, string score, string header = "sr = 48000\nksmps = 64\nnchnls = 2\n0dbfs = 1",
        string options = "") => $"""
        <CsoundSynthesizer>
        <CsOptions>
        {options}
        </CsOptions>
        <CsInstruments>
        {header}
        {orchestra}
        </CsInstruments>
        <CsScore>
        {score}
        </CsScore>
        </CsoundSynthesizer>
        """;

    public static Engine Start(string csd, bool sampleAccurate = false)
    {
        var engine = new Engine();
        try
        {
            engine.CompileCsdText(csd);
            engine.SetOption("-n");
            if (sampleAccurate) engine.EnableSampleAccurate();
            engine.Start();
            return engine;
        }
        catch
        {
            var log = new List<string>();
            engine.Messages.Drain((_, l) => log.Add(l), flush: true);
            engine.Dispose();
            throw new InvalidOperationException("test orchestra failed:\n" + string.Join('\n', log));
        }
    }

    /// <summary>Runs to the end of the score (or maxFrames) in blocks of <paramref name="block"/>, returning all output.</summary>
    public static float[] Render(Engine engine, int block, int maxFrames = 10 * 48000)
    {
        var output = new List<float>();
        var buffer = new float[block * engine.OutputChannels];
        var total = 0;
        while (total < maxFrames)
        {
            var n = engine.Process(buffer, ReadOnlySpan<float>.Empty, block);
            output.AddRange(buffer.AsSpan(0, n * engine.OutputChannels));
            total += n;
            if (n < block) break;
        }
        return output.ToArray();
    }

    public static List<string> DrainLines(Engine engine)
    {
        var lines = new List<string>();
        engine.Messages.Drain((_, l) => lines.Add(l), flush: true);
        return lines;
    }
}
