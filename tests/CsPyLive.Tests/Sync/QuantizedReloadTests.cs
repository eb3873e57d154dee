using System.Globalization;
using System.Text.RegularExpressions;
using CsPyLive.Live;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// <c>--reload-at bar|beat</c>: a hot reload goes live at the frame of the next boundary of the beat clock's
/// timeline. The new code says the beat of the first k-cycle it runs in; a bar's first k-cycle has a whole number of
/// bars there (at 120 BPM and ksmps 64 every bar starts a k-cycle: 96000 frames).
/// </summary>
public sealed partial class QuantizedReloadTests
{
    private const string Orchestra = """
        pyinit
        pyexeci "mod.py"
        instr 1
          k1 pycall1 "tick"
        endin
        """;

    private const string First = "def tick():\n    return 0.0\n";

    private const string Second = """
        import cspylive
        first = None
        def tick():
            global first
            if first is None:
                first = cspylive.beat()
                print('new code from beat %.6f' % first)
            return 0.0

        """;

    private static double NewCodeBeat(string log) =>
        double.Parse(NewCode().Match(log) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("the new code never ran:\n" + log),
            CultureInfo.InvariantCulture);

    [GeneratedRegex(@"new code from beat (-?[0-9.]+)")]
    private static partial Regex NewCode();

    [Fact]
    public void A_scripted_reload_in_a_render_goes_live_on_the_next_bar()
    {
        using var dir = new TempDir();
        dir.Write("piece.csd", TestEngines.Csd(Orchestra, "i1 0 5"));
        dir.Write("mod.py", First);
        var v2 = dir.Write("v2.txt", Second);
        var bar = ProcessRunner.CsPyLive("render", dir.File("piece.csd"), "-o", dir.File("bar.wav"), "--reload", $"1.0={v2}", "--reload-at", "bar");
        Assert.True(bar.ExitCode == 0, bar.Output);
        Assert.Equal(4.0, NewCodeBeat(bar.Output)); // saved at beat 2; the bar is at 2 s (frame 96000)
        var beat = ProcessRunner.CsPyLive("render", dir.File("piece.csd"), "-o", dir.File("beat.wav"), "--reload", $"1.1={v2}", "--reload-at", "beat");
        Assert.True(beat.ExitCode == 0, beat.Output);
        Assert.Equal(3.0, NewCodeBeat(beat.Output)); // saved at beat 2.2
        var now = ProcessRunner.CsPyLive("render", dir.File("piece.csd"), "-o", dir.File("now.wav"), "--reload", $"1.1={v2}");
        Assert.Equal(2.2, NewCodeBeat(now.Output), 2); // unquantized: at its own k-cycle
    }

    [Fact]
    public async Task A_save_while_playing_goes_live_on_the_first_frame_of_the_next_bar()
    {
        using var dir = new TempDir();
        var csd = dir.Write("piece.csd", TestEngines.Csd(Orchestra, "i1 0 30"));
        dir.Write("mod.py", First);
        var log = new ShowLog();
        var options = ShowOptions.Resolve(new ShowRequest { Patch = csd, Audio = "null", Duration = 4.5, ReloadAt = "bar" }, new HostConfig());
        using var show = new Show(options, log.Write);
        var run = Task.Run(() => show.Run());
        Assert.True(Wait.Until(() => show.Engine.FramesPerformed >= show.Engine.SampleRate / 2, TimeSpan.FromSeconds(60)), log.Text);
        var savedAtBeat = show.Clock.Beat;
        File.WriteAllText(dir.File("mod.py"), Second);
        var stats = await run;
        var reload = Assert.Single(stats.Reloads);
        Assert.True(reload.Ok, log.Text);
        Assert.Equal("audio_thread", reload.AppliedIn);
        var at = NewCodeBeat(log.Text);
        Assert.True(at % 4 == 0 && at > savedAtBeat, $"the new code began at beat {at} (saved at beat {savedAtBeat:F3}), not on a bar\n{log.Text}");
        Assert.Equal(at / 2, reload.AtSeconds, 3); // 120 BPM: a beat is half a second
    }
}
