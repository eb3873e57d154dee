using CsPyLive.Live;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Render;

/// <summary>render's progress: a bar on a terminal, plain lines in a pipe, a warning for a score with no end.</summary>
public sealed class RenderBarTests
{
    private const string Long = """
        <CsoundSynthesizer>
        <CsInstruments>
        sr = 48000
        ksmps = 32
        nchnls = 2
        0dbfs = 1
        instr 1
          a1 vco2 0.2, 110
          a2 moogladder a1, 2000, 0.3
          outs a2, a2
        endin
        </CsInstruments>
        <CsScore>
        i1 0 240
        </CsScore>
        </CsoundSynthesizer>
        """;

    [Theory]
    [InlineData("i1 0 10\ni2 5 20 ; a comment\n", 25.0)]
    [InlineData("i1 0 -1\nf0 60\n", 60.0)]
    [InlineData("i1 0 3\ne 8\n", 8.0)]
    [InlineData("", double.PositiveInfinity)]
    [InlineData("; only a comment\n", double.PositiveInfinity)]
    [InlineData("f0 z\ni1 0 1\n", double.PositiveInfinity)]
    [InlineData("t 0 120\ni1 0 4\n", null)]  // a tempo: not followed, no end shown
    [InlineData("i1 0 1\ni1 + 1\n", null)]   // a carried start
    public void The_scores_length_is_read_where_it_can_be(string score, double? seconds)
    {
        Assert.Equal(seconds, ScoreLength.Of($"<CsoundSynthesizer><CsScore>\n{score}</CsScore></CsoundSynthesizer>"));
    }

    [Fact]
    public void On_a_terminal_a_bar_moves_and_leaves_a_clean_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("long.csd"), Long);
        using var term = Live.OnTerminal.Run(dir, 100, 30, "render", dir.File("long.csd"), "-o", dir.File("long.wav"));
        var bar = term.WaitFor(s => System.Text.RegularExpressions.Regex.IsMatch(s, @"\[#+\.*\]  \d:\d\d / 4:00  \d+%  ×\d+(\.\d)? real time  \d:\d\d left"), TimeSpan.FromSeconds(60));
        Assert.True(bar.Found, bar.Screen);
        var done = term.WaitFor(s => s.Contains("cspylive: wrote"), TimeSpan.FromSeconds(120));
        Assert.True(done.Found, done.Screen);
        Assert.DoesNotContain("[#", done.Screen); // the bar gave its line back
    }

    [Fact]
    public void In_a_pipe_there_is_no_bar_and_a_score_with_no_end_is_warned_of()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("long.csd"), Long.Replace("i1 0 240", "i1 0 1"));
        var plain = ProcessRunner.CsPyLive("render", dir.File("long.csd"), "-o", dir.File("a.wav"));
        Assert.True(plain.ExitCode == 0, plain.Output);
        Assert.DoesNotContain("\r", plain.StdErr);
        Assert.DoesNotContain("[#", plain.StdErr);

        File.WriteAllText(dir.File("open.csd"), Long.Replace("i1 0 240", ""));
        using var open = BackgroundProcess.CsPyLive(null, "render", dir.File("open.csd"), "-o", dir.File("b.wav"));
        Assert.True(Wait.Until(() => open.StdErr.Contains("the score has no end"), TimeSpan.FromSeconds(30)), open.StdErr);
        open.Interrupt();
        var result = open.Wait(TimeSpan.FromSeconds(30));
        Assert.Contains("--duration sets its length", result.StdErr);
    }
}
