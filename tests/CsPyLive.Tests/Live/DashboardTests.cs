using System.Diagnostics;
using System.Text.RegularExpressions;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>
/// The full-screen view of <c>play</c> (ADR 0017), on a real terminal: tmux runs cspylive in a window of a given size
/// and the test reads what a performer would see.
/// </summary>
public sealed partial class DashboardTests
{
    /// <summary>A sine at 0.5 (−6.0 dBFS) for 3 s, then at 0.25 (−12.0) held until a panic; a line printed 20 times a second.</summary>
    private const string Orchestra = """
        <CsoundSynthesizer>
        <CsInstruments>
        sr = 48000
        ksmps = 32
        nchnls = 2
        0dbfs = 1
        instr 1
          a1 poscil p4, 1000
          outs a1, a1
        endin
        instr 2
          printks "the same line\n", 0.05
        endin
        </CsInstruments>
        <CsScore>
        i1 0 3 0.5
        i1 3 -1 0.25
        i2 0 -1
        f0 3600
        </CsScore>
        </CsoundSynthesizer>
        """;

    private static TmuxTerminal Play(TempDir dir, int width, int height, params string[] more)
    {
        File.WriteAllText(dir.File("dash.csd"), Orchestra);
        return OnTerminal.Run(dir, width, height, ["play", dir.File("dash.csd"), "--audio", "null", .. more]);
    }

    [Fact]
    public void The_meters_follow_the_orchestras_level_and_the_log_counts_a_repeated_line()
    {
        using var dir = new TempDir();
        using var term = Play(dir, 120, 40, "--duration", "30");
        var first = term.WaitFor(s => s.Contains("peak -6.0"), TimeSpan.FromSeconds(30));
        Assert.True(first.Found, first.Screen);
        Assert.Matches(@"out 1 █+", first.Screen);
        var second = term.WaitFor(s => s.Contains("peak -12.0") && s.Contains("hold -12.0"), TimeSpan.FromSeconds(15)); // the hold lets go after 2 s
        Assert.True(second.Found, second.Screen);
        Assert.Matches(@"the same line \(×\d+\)", second.Screen);
        Assert.Single(Regex.Matches(second.Screen, "the same line")); // one line, counted, not a screenful
        Assert.Matches(@"DSP load \d+\.\d% mean, \d+\.\d% peak", second.Screen);
        Assert.Contains("instr 1×1  2×1", second.Screen); // instances per instrument, from the engine's own count
        Assert.Contains("p panic  r rollback  m mute  l learn  q quit  ? help", second.Screen);
    }

    [Fact]
    public void P_silences_the_held_note_and_q_asks_before_quitting()
    {
        using var dir = new TempDir();
        using var term = Play(dir, 120, 40, "--duration", "60");
        Assert.True(term.WaitFor(s => s.Contains("peak -12.0"), TimeSpan.FromSeconds(30)).Found, term.Screen());
        term.Keys("p");
        var silent = term.WaitFor(s => s.Contains("panic:") && Regex.IsMatch(s, @"out 1 ·+ +peak -99\.0"), TimeSpan.FromSeconds(10));
        Assert.True(silent.Found, silent.Screen);
        term.Keys("q");
        Assert.True(term.WaitFor(s => s.Contains("quit the show? y = yes"), TimeSpan.FromSeconds(5)).Found, term.Screen());
        term.Keys("n");
        Thread.Sleep(500);
        Assert.False(term.Exited);
        term.Keys("q");
        Assert.True(term.WaitFor(s => s.Contains("quit the show?"), TimeSpan.FromSeconds(5)).Found, term.Screen());
        term.Keys("y");
        var after = term.WaitFor(_ => term.Exited, TimeSpan.FromSeconds(15));
        Assert.True(after.Found, after.Screen);
        Assert.Contains("cspylive: played", term.Screen()); // the terminal is given back, with the log's last lines on it
    }

    [Fact]
    public void A_broken_save_shows_its_file_and_line_at_once()
    {
        using var dir = new TempDir();
        var patch = dir.File("markov");
        Directory.CreateDirectory(patch);
        foreach (var f in Directory.GetFiles(Path.Combine(TestData.RepoRoot, "patches", "markov"))) File.Copy(f, Path.Combine(patch, Path.GetFileName(f)));
        using var term = OnTerminal.Run(dir, 120, 40, "play", patch, "--audio", "null", "--duration", "60");
        Assert.True(term.WaitFor(s => s.Contains("python markov.py  watching for saves"), TimeSpan.FromSeconds(30)).Found, term.Screen());
        var py = Path.Combine(patch, "markov.py");
        var saved = Stopwatch.StartNew();
        File.AppendAllText(py, "\n\ndef broken(:\n");
        var line = Array.IndexOf(File.ReadAllLines(py), "def broken(:") + 1;
        var shown = term.WaitFor(s => s.Contains($"markov.py:{line}: SyntaxError"), TimeSpan.FromSeconds(10));
        saved.Stop();
        Assert.True(shown.Found, shown.Screen);
        // The issue asks for 1 s; the machines are shared, so the test allows 2 and the note reports what it measured.
        Assert.True(saved.Elapsed < TimeSpan.FromSeconds(2), $"shown after {saved.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"broken save on screen after {saved.Elapsed.TotalMilliseconds:0} ms");
        var row = term.WaitFor(s => s.Contains($"python markov.py  markov.py:{line}: SyntaxError"), TimeSpan.FromSeconds(5)); // and the file's row says it
        Assert.True(row.Found, row.Screen);
    }

    [Fact]
    public void An_80_by_24_terminal_works_and_a_resize_redraws_to_the_new_size()
    {
        using var dir = new TempDir();
        using var term = Play(dir, 80, 24, "--duration", "60");
        var small = term.WaitFor(s => s.Contains("peak -6.0"), TimeSpan.FromSeconds(30));
        Assert.True(small.Found, small.Screen);
        var rows = small.Screen.TrimEnd('\n').Split('\n');
        Assert.Equal(24, rows.Length);
        Assert.StartsWith(" cspylive", rows[0]);
        Assert.Contains("p panic", rows[23]);
        Assert.All(rows, r => Assert.True(r.Length <= 80, r));

        term.Resize(120, 40);
        var large = term.WaitFor(s => s.TrimEnd('\n').Split('\n') is { Length: 40 } r && r[39].Contains("p panic"), TimeSpan.FromSeconds(10));
        Assert.True(large.Found, large.Screen);
        Assert.Matches(@"out 1 █+", large.Screen);
        Assert.Contains("the same line", large.Screen);
    }
}

/// <summary>MIDI learn from the dashboard: a MIDI file moves CC 74; the performer names a channel and it is routed.</summary>
public sealed class DashboardMidiLearnTests
{
    private const string Orchestra = """
        <CsoundSynthesizer>
        <CsInstruments>
        sr = 48000
        ksmps = 32
        nchnls = 2
        0dbfs = 1
        instr 1
          kc chnget "cutoff"
          if kc > 0 then
            printks "cutoff is %.3f\n", 0.5, kc
          endif
        endin
        </CsInstruments>
        <CsScore>
        i1 0 -1
        f0 3600
        </CsScore>
        </CsoundSynthesizer>
        """;

    [Fact]
    public void L_then_a_name_routes_the_next_controller_at_once_and_writes_patch_yaml_with_its_comments()
    {
        using var dir = new TempDir();
        var patch = dir.File("learn");
        Directory.CreateDirectory(patch);
        File.WriteAllText(Path.Combine(patch, "learn.csd"), Orchestra);
        const string yaml = "# my keyboard\nmidi:\n  route: score   # notes become events\n";
        File.WriteAllText(Path.Combine(patch, "patch.yaml"), yaml);
        // CC 74 on channel 1 at 100 (0.787), every 0.1 s for 30 s, from 2 s on
        var events = new List<byte[]> { Midi.MidiFileBytes.At(0, Midi.MidiFileBytes.Tempo(500000)), Midi.MidiFileBytes.At(1920, 0xB0, 74, 100) };
        for (var i = 0; i < 300; i++) events.Add(Midi.MidiFileBytes.At(96, 0xB0, 74, 100));
        var mid = Midi.MidiFileBytes.Write(dir.File("cc.mid"), Midi.MidiFileBytes.Concat(Midi.MidiFileBytes.Header(0, 1, 960),
            Midi.MidiFileBytes.Track(Midi.MidiFileBytes.Concat([.. events, Midi.MidiFileBytes.EndOfTrack]))));
        using var term = OnTerminal.Run(dir, 120, 40, "play", patch, "--audio", "null", "--midi", mid, "--duration", "40");
        Assert.True(term.WaitFor(s => s.Contains("l learn"), TimeSpan.FromSeconds(30)).Found, term.Screen());
        Assert.DoesNotContain("cutoff is", term.Screen()); // nothing routes CC 74 to it yet
        term.Keys("l");
        Assert.True(term.WaitFor(s => s.Contains("learn: the control channel's name"), TimeSpan.FromSeconds(5)).Found, term.Screen());
        term.Keys("-l", "cutoff");
        term.Keys("Enter");
        var learnt = term.WaitFor(s => s.Contains("learned: CC 74 -> channel 'cutoff'"), TimeSpan.FromSeconds(15));
        Assert.True(learnt.Found, learnt.Screen);
        var heard = term.WaitFor(s => s.Contains("cutoff is 0.787"), TimeSpan.FromSeconds(5)); // works at once, in the running show
        Assert.True(heard.Found, heard.Screen);
        Assert.Contains(", CC 74", heard.Screen); // the inputs row names the last controller
        var written = File.ReadAllText(Path.Combine(patch, "patch.yaml"));
        Assert.StartsWith("# my keyboard\nmidi:\n  cc:\n    74: cutoff  # learned ", written);
        Assert.EndsWith("\n  route: score   # notes become events\n", written);
        Assert.Equal("cutoff", CsPyLive.Live.PatchConfig.Load(patch).Midi.Cc[74]); // the next show has it too
    }
}

/// <summary>The instance counter the dashboard compiles in is a held line event: a score that ends still ends the show.</summary>
public sealed class DashboardScoreEndTests
{
    [Fact]
    public void A_finite_score_ends_the_show_on_the_dashboard_too()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("short.csd"), """
            <CsoundSynthesizer>
            <CsInstruments>
            sr = 48000
            ksmps = 32
            nchnls = 2
            0dbfs = 1
            instr 1
              outs poscil(0.3, 440), poscil(0.3, 440)
            endin
            </CsInstruments>
            <CsScore>
            i1 0 2
            </CsScore>
            </CsoundSynthesizer>
            """);
        using var term = OnTerminal.Run(dir, 120, 40, "play", dir.File("short.csd"), "--audio", "null");
        Assert.True(term.WaitFor(s => s.Contains("instr 1×1"), TimeSpan.FromSeconds(30)).Found, term.Screen());
        var ended = term.WaitFor(_ => term.Exited, TimeSpan.FromSeconds(20));
        Assert.True(ended.Found, ended.Screen);
        Assert.Contains("cspylive: played 2", term.Screen());
    }
}

/// <summary>cspylive on a tmux terminal of the given size, with the suite's Python.</summary>
internal static class OnTerminal
{
    public static TmuxTerminal Run(TempDir dir, int width, int height, params string[] args)
    {
        var (program, prefix) = ProcessRunner.CsPyLiveCommand;
        return new TmuxTerminal(width, height, program, [.. prefix, .. args],
            new Dictionary<string, string> { ["CSPYLIVE_PYTHON"] = Environment.GetEnvironmentVariable("CSPYLIVE_PYTHON") ?? "" }, dir.Path);
    }
}
