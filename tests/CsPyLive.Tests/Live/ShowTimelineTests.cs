using System.Net.Sockets;
using System.Text.Json;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Python.Reload;
using CsPyLive.Tests.Osc;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>The show second by second in <c>--stats</c>: load, xruns, level, OSC and MIDI counts, reload and error markers.</summary>
[Collection("Python")]
public sealed class ShowTimelineTests
{
    /// <summary>
    /// 5 s of the reload piece (mod.py's level() is the output: 0.25, then 0.5 after the save) on the null clock:
    /// a good save after 1 s, a broken one after 2 s, 40 OSC messages after 3 s. Each lands in its own row.
    /// </summary>
    [Fact]
    public async Task A_five_second_show_has_five_rows_with_its_saves_and_its_osc_burst_in_the_seconds_they_happened()
    {
        using var dir = new TempDir();
        foreach (var f in Directory.GetFiles(TestData.Path("reload"))) File.Copy(f, dir.File(Path.GetFileName(f)), true);
        var csd = dir.File("piece.csd");
        File.WriteAllText(csd, File.ReadAllText(csd).Replace("i1 0 2", "i1 0 30"));
        dir.Write("patch.yaml", "osc:\n  port: 0\n");
        var log = new ShowLog();
        var options = ShowOptions.Resolve(new ShowRequest { Patch = csd, Audio = "null", Duration = 5, Stats = dir.File("stats.json") }, new HostConfig());
        using var show = new Show(options, log.Write);
        var run = Task.Run(() => show.Run());
        var engine = show.Engine;
        bool PlayedAtLeast(double seconds) => Wait.Until(() => engine.FramesPerformed >= seconds * engine.SampleRate, TimeSpan.FromSeconds(60));

        Assert.True(PlayedAtLeast(1.1), log.Text);
        File.WriteAllText(dir.File("mod.py"), File.ReadAllText(dir.File("v2.py")));
        Assert.True(Wait.Until(() => show.Reload!.Reloader.Records.Count == 1, TimeSpan.FromSeconds(30)), log.Text);
        Assert.True(PlayedAtLeast(2.1), log.Text);
        File.WriteAllText(dir.File("mod.py"), File.ReadAllText(dir.File("broken.py")));
        Assert.True(Wait.Until(() => show.Reload!.Reloader.Records.Count == 2, TimeSpan.FromSeconds(30)), log.Text);
        Assert.True(PlayedAtLeast(3.1), log.Text);
        var osc = show.Inputs.OfType<CsPyLive.Osc.OscInput>().Single();
        using (var udp = new UdpClient())
            for (var i = 0; i < 40; i++) udp.Send(OscModel.Message("/chn/x", (float)i), "127.0.0.1", osc.Udp!.LocalEndPoint.Port);
        var stats = await run;

        Assert.Equal([0, 1, 2, 3, 4], stats.Timeline.Select(r => r.Second));
        var (good, broken) = (stats.Reloads[0], stats.Reloads[1]);
        Assert.True(good.Ok && !broken.Ok, string.Join("\n", stats.Reloads));
        int goodAt = (int)good.AtSeconds, brokenAt = (int)broken.AtSeconds;
        Assert.True(goodAt < brokenAt && brokenAt < 3, $"the good save went live at {good.AtSeconds:0.000} s, the broken one at {broken.AtSeconds:0.000} s");
        foreach (var row in stats.Timeline)
        {
            var expected = new List<string>();
            if (row.Second == goodAt) expected.Add("reload ok mod.py");
            if (row.Second == brokenAt) expected.Add("reload error mod.py:1: SyntaxError"); // then Python's own words, which vary by version
            Assert.Equal(expected, row.Events.Select(e => e.StartsWith("reload error mod.py:1: SyntaxError", StringComparison.Ordinal) ? "reload error mod.py:1: SyntaxError" : e));
            Assert.Equal(row.Second == 3 ? 40 : 0, row.Osc);
            Assert.Equal(0, row.Midi);
            Assert.InRange(row.LoadMean, 0.0001, 0.5); // a light orchestra: far below the period, never nothing
            Assert.InRange(row.LoadPeak, row.LoadMean, 1.0 + row.Xruns);
        }
        Assert.Equal(stats.Xruns, stats.Timeline.Sum(r => r.Xruns));
        // mod.py's level: 0.25 (-12 dBFS) before the good save, 0.5 (-6 dBFS) from its second on.
        Assert.Equal(-12.0, stats.Timeline[0].PeakDbfs!.Value, 1);
        Assert.Equal(-6.0, stats.Timeline[4].PeakDbfs!.Value, 1);

        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var rows = json.RootElement.GetProperty("timeline").EnumerateArray().ToArray();
        Assert.Equal(5, rows.Length);
        Assert.Equal(40, rows[3].GetProperty("osc").GetInt64());
        Assert.Equal("reload ok mod.py", rows[goodAt].GetProperty("events")[0].GetString());
        foreach (var key in new[] { "t", "load_mean", "load_peak", "xruns", "peak_dbfs", "osc", "midi", "events" })
            Assert.True(rows[0].TryGetProperty(key, out _), $"a row lacks {key}");
        Assert.Equal(-6.0, rows[4].GetProperty("peak_dbfs").GetDouble(), 1);
    }

    [Theory]
    [InlineData("tablet.py:12: SyntaxError: invalid syntax\n    def f(:", "tablet.py:12: SyntaxError: invalid syntax")]
    [InlineData("Traceback (most recent call last):\n  File \"/p/tablet.py\", line 7, in <module>\n    f()\n  File \"/usr/lib/x.py\", line 3, in f\nValueError: no",
        "tablet.py:7: ValueError: no")]
    [InlineData("RuntimeError: module code fails", "tablet.py: RuntimeError: module code fails")]
    public void A_reload_error_is_marked_with_its_file_and_line(string error, string marked)
    {
        Assert.Equal("reload error " + marked, ShowTimeline.ReloadMarker(new ReloadRecord("/p/tablet.py", false, error, 0, 0, 1)));
    }

    [Theory]
    [InlineData(MessageKind.Error, "INIT ERROR in instr 1 (opcode oscil) line 5: table not found", true)]
    [InlineData(MessageKind.Error, "NameError: name 'x' is not defined", true)]
    [InlineData(MessageKind.Error, "error: syntax error, unexpected T_IDENT", true)]
    [InlineData(MessageKind.Error, "new alloc for instr 1:", false)] // Csound sends its chatter through the error channel
    [InlineData(MessageKind.Error, "  File \"/p/mod.py\", line 3, in level", false)]
    [InlineData(MessageKind.Error, "reload: mod.py:1: SyntaxError: invalid syntax", false)] // marked by its record
    [InlineData(MessageKind.Warning, "WARNING: PERF ERROR soon", false)]
    public void Only_errors_are_marked(MessageKind kind, string line, bool marked) => Assert.Equal(marked, ShowTimeline.IsMarkedError(kind, line));

    [Fact]
    public void Errors_logged_in_one_second_are_marked_up_to_three_then_counted()
    {
        var timeline = new ShowTimeline(100, () => default);
        var window = new MeterWindow { Channels = 1, Frames = 100, Callbacks = 1, BusyTicks = 1, LongestTicks = 1, PeriodTicks = 10 };
        window.Peak[0] = 1;
        timeline.Add(in window);
        timeline.Add(in window);
        for (var i = 0; i < 5; i++) timeline.MarkError(1.5, $"cspylive: INIT ERROR {i}\nmore");
        var rows = timeline.Finish([]);
        Assert.Equal(2, rows.Count);
        Assert.Empty(rows[0].Events);
        Assert.Equal(["error: INIT ERROR 0", "error: INIT ERROR 1", "error: INIT ERROR 2", "error: 2 more"], rows[1].Events);
        Assert.Equal(0.0, rows[1].PeakDbfs);
    }
}
