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
}
