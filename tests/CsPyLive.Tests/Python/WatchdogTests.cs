using System.Text.Json;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Python;

/// <summary>A runaway function (an endless loop called from a pycall) must not freeze the show.</summary>
public sealed class WatchdogTests
{
    [Fact]
    public void An_endless_loop_in_a_pycall_is_interrupted_and_audio_continues()
    {
        using var dir = new TempDir();
        // level() returns 0.25, except that once, after 1 s, it loops forever.
        var result = ProcessRunner.CsPyLive("play", TestData.Path("py", "runaway-loop.csd"), "--audio", "null",
            "--duration", "3", "--record", dir.File("out.wav"), "--stats", dir.File("stats.json"),
            "--python-budget-ms", "25");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("watchdog: Python code kept the audio thread busy", result.StdErr);
        Assert.Contains("RunawayPythonError", result.StdErr);

        var wav = WavFile.Read(dir.File("out.wav"));
        Assert.Equal(3 * 48000, wav.Frames);
        Assert.Equal(0.25, wav.Samples[(int)(0.5 * 48000)], 6);
        Assert.Equal(0.25, wav.Samples[(int)(2.9 * 48000)], 6); // still playing, with the function's normal output
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        // The loop was cut within the budget plus the watchdog's poll and Python's switch interval, not seconds.
        Assert.InRange(stats.RootElement.GetProperty("max_callback_us").GetDouble(), 25_000, 500_000);
    }

    [Theory]
    [InlineData("256")]
    [InlineData("32")]
    public void A_k_rate_call_that_never_returns_is_benched_and_its_note_turned_off_while_the_show_plays_on(string period)
    {
        // Before: the watchdog fired once per callback, the next k-cycle called spin() again, and the audio thread
        // spun for good (0 callbacks, an empty recording); at --period 32, 528 xruns in 15 s.
        using var dir = new TempDir();
        var result = ProcessRunner.CsPyLive("play", TestData.Path("py", "endless-spin.csd"), "--audio", "null", "--period", period,
            "--duration", "4", "--record", dir.File("out.wav"), "--stats", dir.File("stats.json"), "--python-budget-ms", "25", "--no-tui");
        Assert.True(result.ExitCode == 0, result.Output);
        var benched = "spin() was interrupted 3 times without returning: it is not called any more";
        Assert.Single(result.StdErr.Split('\n'), line => line.Contains(benched));
        Assert.Contains("PERF ERROR in instr 2", result.StdErr);
        Assert.Contains("note aborted", result.StdErr);

        var wav = WavFile.Read(dir.File("out.wav"));
        Assert.Equal(4 * 48000, wav.Frames);
        Assert.Equal(0.25, wav.Samples[(int)(0.5 * 48000)], 6);
        Assert.Equal(0.25, wav.Samples[(int)(3.9 * 48000)], 6); // instr 1 plays on; instr 3's call returns nothing
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        Assert.InRange(stats.RootElement.GetProperty("seconds_played").GetDouble(), 4, 4.1);
        Assert.False(stats.RootElement.GetProperty("audio_thread_stuck").GetBoolean());
        // Three budgets and the watchdog's polls, once: not a callback per k-cycle for the rest of the show.
        Assert.InRange(stats.RootElement.GetProperty("max_callback_us").GetDouble(), 25_000, 1_000_000);
    }

    [Fact]
    public void A_render_stops_an_endless_call_too_and_a_reload_lets_the_fixed_function_be_called_again()
    {
        // Before: render had no watchdog, and an endless loop hung it without a word.
        using var dir = new TempDir();
        var fixedSpin = dir.Write("fixed.py", "def spin(x):\n    return 0.5\n");
        var result = ProcessRunner.CsPyLive("render", TestData.Path("py", "endless-spin.csd"), "-o", dir.File("out.wav"),
            "--duration", "3", "--reload", "2=" + fixedSpin);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("spin() was interrupted 3 times without returning", result.StdErr);
        var wav = WavFile.Read(dir.File("out.wav"));
        Assert.Equal(3 * 48000, wav.Frames);
        Assert.Equal(0.25, wav.Samples[(int)(1.5 * 48000)], 6);
        Assert.Equal(0.75, wav.Samples[(int)(2.9 * 48000)], 6); // instr 3 calls the reloaded spin(): 0.25 + 0.5
    }
}
