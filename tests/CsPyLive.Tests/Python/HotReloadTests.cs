using System.Text.Json;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Python;

/// <summary>
/// Hot reload as a performer meets it. The orchestra outputs whatever <c>level()</c> in mod.py returns, so the
/// recording shows which version of the function ran at each moment.
/// </summary>
public sealed class HotReloadTests
{
    private static float At(WavFile wav, double seconds) => (float)wav.Samples[(int)(seconds * wav.SampleRate) * wav.Channels];

    private static (ProcessResult Result, WavFile Wav) RenderWith(TempDir dir, params string[] reloads)
    {
        foreach (var f in Directory.GetFiles(TestData.Path("reload"))) File.Copy(f, dir.File(Path.GetFileName(f)), true);
        var args = new List<string> { "render", dir.File("piece.csd"), "-o", dir.File("out.wav") };
        foreach (var r in reloads) args.AddRange(["--reload", r.Replace("DIR", dir.Path)]);
        var result = ProcessRunner.CsPyLive([.. args]);
        Assert.True(result.ExitCode == 0, result.Output);
        return (result, WavFile.Read(dir.File("out.wav")));
    }

    [Fact]
    public void A_reload_changes_the_function_at_the_next_k_boundary_and_keeps_state()
    {
        using var dir = new TempDir();
        var (result, wav) = RenderWith(dir, "0.5=DIR/v2.py");
        Assert.Equal(0.25f, At(wav, 0.49));
        Assert.Equal(0.5f, At(wav, 0.51));
        // The swap lands on the k-cycle that holds frame 0.5 s: 24000 is a multiple of ksmps 64.
        Assert.Equal(0.25f, (float)wav.Samples[24000 - 1]);
        Assert.Equal(0.5f, (float)wav.Samples[24000]);
        Assert.Contains("v2.py is live", result.StdErr);
    }

    [Fact]
    public void A_syntax_error_changes_nothing_and_names_file_and_line()
    {
        using var dir = new TempDir();
        var (result, wav) = RenderWith(dir, "0.5=DIR/broken.py");
        Assert.Equal(0.25f, At(wav, 1.0));
        Assert.Contains("broken.py:1: SyntaxError", result.StdErr);
        Assert.Contains("previous code keeps running", result.StdErr);
    }

    [Fact]
    public void Module_code_that_raises_changes_nothing()
    {
        using var dir = new TempDir();
        // modraise.py defines level() -> 0.9, then raises: the new definition must not take effect.
        var (result, wav) = RenderWith(dir, "0.5=DIR/modraise.py");
        Assert.Equal(0.25f, At(wav, 1.0));
        Assert.Contains("module code fails", result.StdErr);
        Assert.Contains("modraise.py:3", result.StdErr.Replace("\", line ", ":"));
    }

    [Fact]
    public void New_code_that_raises_where_the_old_did_not_is_rolled_back()
    {
        using var dir = new TempDir();
        var (result, wav) = RenderWith(dir, "0.5=DIR/v2.py", "1.0=DIR/raises.py");
        Assert.Contains("rolling back", result.StdErr);
        Assert.Contains("rolled back to the previous version", result.StdErr);
        Assert.Contains("ZeroDivisionError", result.StdErr);
        Assert.Equal(0.5f, At(wav, 1.5));  // v2 again, the last good version
        Assert.Equal(0.5f, At(wav, 1.95));
    }

    [Fact]
    public async Task Saving_a_file_while_playing_is_heard_and_reported_in_the_stats()
    {
        using var dir = new TempDir();
        var (result, wav, reload) = await PlayAndSave(dir, "v2.py");
        Assert.Equal(0.25f, At(wav, 0.2));
        Assert.Equal(0.5f, At(wav, 2.9));
        Assert.True(reload.GetProperty("ok").GetBoolean(), result.StdErr);
        Assert.EndsWith("mod.py", reload.GetProperty("file").GetString());
        // Live, a small module runs in the idle gap between callbacks (on the audio thread only if a callback beat it).
        Assert.Contains(reload.GetProperty("applied_in").GetString(), new[] { "gap", "audio_thread" });
        Assert.InRange(reload.GetProperty("save_to_live_ms").GetDouble(), 0, 1000);
        Assert.InRange(reload.GetProperty("at_s").GetDouble(), 0.5, 3);
    }

    /// <summary>
    /// Plays piece.csd (extended to 30 s) for 3 s on the null clock and copies <paramref name="save"/> over mod.py
    /// about 1 s after playing started (not after the process started: on a loaded machine a save that came before
    /// the orchestra ran mod.py would be the first version, not a reload).
    /// </summary>
    private static async Task<(ProcessResult Result, WavFile Wav, JsonElement Reload)> PlayAndSave(TempDir dir, string save)
    {
        foreach (var f in Directory.GetFiles(TestData.Path("reload"))) File.Copy(f, dir.File(Path.GetFileName(f)), true);
        var csd = dir.File("piece.csd");
        File.WriteAllText(csd, File.ReadAllText(csd).Replace("i1 0 2", "i1 0 30"));
        using var play = BackgroundProcess.CsPyLive(null, "play", csd, "--audio", "null", "--duration", "3",
            "--record", dir.File("live.wav"), "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(play.WaitForStdErr("Ctrl+C stops", TimeSpan.FromSeconds(60)), play.StdErr);
        await Task.Delay(1000);
        File.WriteAllText(dir.File("mod.py"), File.ReadAllText(dir.File(save)));
        var result = play.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var reload = Assert.Single(stats.RootElement.GetProperty("reloads").EnumerateArray()).Clone();
        return (result, WavFile.Read(dir.File("live.wav")), reload);
    }

    [Fact]
    public async Task Module_code_longer_than_the_idle_gap_is_undone_there_and_run_on_the_audio_thread()
    {
        using var dir = new TempDir();
        var (result, wav, reload) = await PlayAndSave(dir, "slow.py");
        Assert.True(reload.GetProperty("ok").GetBoolean(), result.StdErr);
        Assert.Equal("audio_thread", reload.GetProperty("applied_in").GetString());
        Assert.Contains("outlasted the idle gap", result.StdErr);
        Assert.Equal(0.25f, At(wav, 0.5));
        Assert.Equal(0.5f, At(wav, 2.9));
        // The audio thread ran the 12 ms of module code itself: the stall says so.
        Assert.True(reload.GetProperty("stall_us").GetDouble() >= 12_000, reload.ToString());
    }

    [Fact]
    public async Task Module_code_that_swallows_the_overrun_with_a_bare_except_still_goes_to_the_audio_thread()
    {
        using var dir = new TempDir();
        var (result, wav, reload) = await PlayAndSave(dir, "slowcaught.py");
        Assert.True(reload.GetProperty("ok").GetBoolean(), result.StdErr);
        Assert.Equal("audio_thread", reload.GetProperty("applied_in").GetString());
        Assert.Equal(0.5f, At(wav, 2.9));
    }

    [Fact]
    public async Task While_playing_module_code_that_raises_changes_nothing()
    {
        using var dir = new TempDir();
        var (result, wav, reload) = await PlayAndSave(dir, "modraise.py");
        Assert.False(reload.GetProperty("ok").GetBoolean());
        Assert.Contains("module code fails", reload.GetProperty("error").GetString());
        Assert.Contains("raised while loading; nothing changed", result.StdErr);
        Assert.All(new[] { 0.5, 1.5, 2.0, 2.9 }, t => Assert.Equal(0.25f, At(wav, t)));
    }

    [Fact]
    public async Task While_playing_new_code_that_raises_is_rolled_back()
    {
        using var dir = new TempDir();
        var (result, wav, reload) = await PlayAndSave(dir, "raises.py");
        Assert.True(reload.GetProperty("ok").GetBoolean()); // it loaded; then it raised when called
        Assert.Contains("rolling back", result.StdErr);
        Assert.Contains("ZeroDivisionError", result.StdErr);
        Assert.Equal(0.25f, At(wav, 2.9));
    }
}
