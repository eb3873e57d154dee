using System.Globalization;
using System.Text.RegularExpressions;
using CsPyLive.Tests.Jack;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// MIDI clock through a real JACK server: one cspylive sends its beat clock on <c>midi_out</c>
/// (<c>--midi-clock-out</c>), a second follows it on <c>midi_in</c> (<c>--sync midi</c>); the follower prints its
/// <c>tempo</c> and <c>beat</c> channels from the orchestra.
/// </summary>
public sealed class MidiClockLoopbackTests
{
    /// <summary>An orchestra that prints the clock's channels every 20 ms of its own time.</summary>
    internal const string PrintingCsd = """
        <CsoundSynthesizer>
        <CsOptions>
        -d -n
        </CsOptions>
        <CsInstruments>
        sr = 48000
        ksmps = 64
        nchnls = 2
        0dbfs = 1
        instr 1
          printks "clock %.4f %.4f %.4f %d\n", 0.02, times:k(), chnget:k("tempo"), chnget:k("beat"), chnget:k("playing")
          outs a(0), a(0)
        endin
        </CsInstruments>
        <CsScore>
        i1 0 3600
        </CsScore>
        </CsoundSynthesizer>
        """;

    internal sealed record ClockLine(double Time, double Tempo, double Beat, bool Playing);

    internal static List<ClockLine> ClockLines(string output) =>
        Regex.Matches(output, @"clock (\S+) (\S+) (\S+) (\d)").Select(m => new ClockLine(
            double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), m.Groups[4].Value == "1")).ToList();

    /// <summary>What the follower saw: its tempo error at the end and how long after the first tick it stayed within 0.1 BPM.</summary>
    internal sealed record Loopback(double Bpm, double FinalError, double SettleSeconds, double MaxErrorAfterSettle, List<ClockLine> Lines, string SenderOutput);

    internal static Loopback Run(double bpm, double seconds = 6)
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("a"));
        Directory.CreateDirectory(dir.File("b"));
        File.WriteAllText(dir.File("a/main.csd"), PrintingCsd);
        File.WriteAllText(dir.File("a/patch.yaml"), $"sync:\n  tempo: {bpm.ToString(CultureInfo.InvariantCulture)}\n  midi_clock_out: true\n");
        File.WriteAllText(dir.File("b/main.csd"), PrintingCsd);
        File.WriteAllText(dir.File("b/patch.yaml"), "sync:\n  tempo: 90\n");
        var duration = seconds.ToString(CultureInfo.InvariantCulture);
        using var sender = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", dir.File("a"), "--audio", "jack",
            "--jack-name", "cspylive-a", "--no-connect", "--duration", (seconds + 4).ToString(CultureInfo.InvariantCulture), "--no-tui");
        using var follower = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", dir.File("b"), "--audio", "jack",
            "--jack-name", "cspylive-b", "--no-connect", "--sync", "midi", "--duration", duration, "--no-tui", "--stats", dir.File("b.json"));
        Assert.True(server.WaitForPort("cspylive-a:midi_out", TimeSpan.FromSeconds(30)), sender.StdErr);
        Assert.True(server.WaitForPort("cspylive-b:midi_in", TimeSpan.FromSeconds(30)), follower.StdErr);
        Assert.True(follower.WaitForStdErr("clock ", TimeSpan.FromSeconds(30)), follower.StdErr);
        Thread.Sleep(1000); // the follower's own clock first: its start tempo
        var connect = server.Tool("jack_connect", "cspylive-a:midi_out", "cspylive-b:midi_in");
        Assert.True(connect.ExitCode == 0, connect.Output);
        var result = follower.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("beat clock: MIDI clock into cspylive-b:midi_in", result.StdErr);
        var jitted = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("b.json"))).RootElement.GetProperty("audio_thread_jit_methods").GetInt64();
        Assert.True(jitted == 0, $"the JIT compiled {jitted} methods on JACK's thread while the clock ticked");
        var lines = ClockLines(result.Output);
        var first = lines.FindIndex(l => l.Tempo != 90);
        Assert.True(first > 0, "the follower never left its start tempo: " + result.Output[^Math.Min(2000, result.Output.Length)..]);
        var lastOff = lines.FindLastIndex(l => Math.Abs(l.Tempo - bpm) >= 0.1);
        Assert.True(lastOff < lines.Count - 1, "never within 0.1 BPM");
        // The first estimate needs two ticks: the first tick came one tick before it.
        var firstTick = lines[first].Time - 60 / (bpm * 24);
        var settle = lines[lastOff + 1].Time - firstTick;
        var after = lines.Skip(lastOff + 1).Max(l => Math.Abs(l.Tempo - bpm));
        return new Loopback(bpm, Math.Abs(lines[^1].Tempo - bpm), settle, after, lines, sender.StdErr);
    }

    [Theory]
    [InlineData(133.0)]
    [InlineData(87.3)]
    public void A_second_cspylive_follows_our_clock_out_within_0_1_BPM_in_under_2_s(double bpm)
    {
        var run = Run(bpm);
        Assert.True(run.FinalError < 0.1, $"tempo off by {run.FinalError:0.000} BPM at the end");
        Assert.True(run.SettleSeconds < 2, $"settled after {run.SettleSeconds:0.000} s");
        Assert.True(run.MaxErrorAfterSettle < 0.1, $"{run.MaxErrorAfterSettle}");
        // Started by the clock: it plays, and its beat advances at the sender's tempo.
        var playing = run.Lines.Where(l => l.Playing).ToList();
        Assert.True(playing.Count > 50, $"{playing.Count} lines playing");
        var (a, b) = (playing[10], playing[^1]);
        Assert.Equal(bpm / 60, (b.Beat - a.Beat) / (b.Time - a.Time), 1);
    }
}
