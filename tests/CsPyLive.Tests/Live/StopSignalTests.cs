using System.Text.Json;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>
/// A service manager's SIGTERM, a closing terminal's SIGHUP and Ctrl+C during a render stop the show the way the first
/// Ctrl+C stops play: the recording closed with its sizes, the stats written. (Before: exit 143, no stats, a WAV whose
/// header said 0 frames.)
/// </summary>
public sealed class StopSignalTests
{
    private static string Hello => Path.Combine(TestData.RepoRoot, "patches", "hello");

    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public void Play_stops_in_order_on_sigterm_and_sighup(string signal)
    {
        using var dir = new TempDir();
        using var play = BackgroundProcess.CsPyLive(null, "play", Hello, "--audio", "null", "--duration", "60",
            "--record", dir.File("take.wav"), "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(play.WaitForStdErr("Ctrl+C stops", TimeSpan.FromSeconds(60)), play.StdErr);
        Thread.Sleep(1000); // a second of the show in the file
        play.Signal(signal);
        var result = play.Wait(TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Output);
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var played = stats.RootElement.GetProperty("seconds_played").GetDouble();
        Assert.InRange(played, 0.5, 30);
        var take = WavFile.Read(dir.File("take.wav"));          // the header's sizes say what is there
        Assert.Equal(played * 48000, take.Frames, 48000 * 0.1);  // within the 0.1 s after the stats were taken
        Assert.True(take.Peak > 0.01);
    }

    [Fact]
    public void Ctrl_C_during_a_render_leaves_a_valid_file_of_what_was_rendered()
    {
        using var dir = new TempDir();
        using var render = BackgroundProcess.CsPyLive(null, "render", Hello, "-o", dir.File("long.wav"), "--duration", "3600");
        Assert.True(Wait.Until(() => File.Exists(dir.File("long.wav")) && new FileInfo(dir.File("long.wav")).Length > 4_000_000, TimeSpan.FromSeconds(60)));
        render.Interrupt();
        var result = render.Wait(TimeSpan.FromSeconds(20));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cspylive: stopped; wrote", result.StdErr);
        var wav = WavFile.Read(dir.File("long.wav"));
        Assert.InRange(wav.Frames, 10_000, 3600 * 48000 - 1);
        Assert.Equal(new FileInfo(dir.File("long.wav")).Length, 58 + (long)wav.Frames * 2 * 4); // float32 header (58 bytes) + data: nothing unaccounted
    }
}
