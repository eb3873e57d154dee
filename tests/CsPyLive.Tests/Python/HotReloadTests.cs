using System.Diagnostics;
using CsPyLive.Live;
using CsPyLive.Python.Reload;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Python;

/// <summary>
/// Hot reload as a performer meets it, in a show in this process. The orchestra outputs whatever <c>level()</c> in
/// mod.py returns, so the recording shows which version of the function ran at each moment.
/// </summary>
[Collection("Python")]
public sealed class HotReloadTests
{
    private static float At(WavFile wav, double seconds) => (float)wav.Samples[(int)(seconds * wav.SampleRate) * wav.Channels];

    private static ShowOptions Options(ShowRequest request) => ShowOptions.Resolve(request, new HostConfig());

    /// <summary>Renders piece.csd with reloads scripted at score times (<c>render --reload</c>).</summary>
    private static (ShowLog Log, WavFile Wav) RenderWith(TempDir dir, params string[] reloads)
    {
        foreach (var f in Directory.GetFiles(TestData.Path("reload"))) File.Copy(f, dir.File(Path.GetFileName(f)), true);
        var log = new ShowLog();
        var options = Options(new ShowRequest
        {
            Patch = dir.File("piece.csd"), Output = dir.File("out.wav"), Reloads = [.. reloads.Select(r => r.Replace("DIR", dir.Path))],
        });
        using (var show = new Show(options, log.Write)) show.Run();
        return (log, WavFile.Read(dir.File("out.wav")));
    }

    [Fact]
    public void A_reload_changes_the_function_at_the_next_k_boundary_and_keeps_state()
    {
        using var dir = new TempDir();
        var (log, wav) = RenderWith(dir, "0.5=DIR/v2.py");
        Assert.Equal(0.25f, At(wav, 0.49));
        Assert.Equal(0.5f, At(wav, 0.51));
        // The swap lands on the k-cycle that holds frame 0.5 s: 24000 is a multiple of ksmps 64.
        Assert.Equal(0.25f, (float)wav.Samples[24000 - 1]);
        Assert.Equal(0.5f, (float)wav.Samples[24000]);
        Assert.Contains("v2.py is live", log.Text);
    }

    [Fact]
    public void A_syntax_error_changes_nothing_and_names_file_and_line()
    {
        using var dir = new TempDir();
        var (log, wav) = RenderWith(dir, "0.5=DIR/broken.py");
        Assert.Equal(0.25f, At(wav, 1.0));
        Assert.Contains("broken.py:1: SyntaxError", log.Text);
        Assert.Contains("previous code keeps running", log.Text);
    }

    [Fact]
    public void Module_code_that_raises_changes_nothing()
    {
        using var dir = new TempDir();
        // modraise.py defines level() -> 0.9, then raises: the new definition must not take effect.
        var (log, wav) = RenderWith(dir, "0.5=DIR/modraise.py");
        Assert.Equal(0.25f, At(wav, 1.0));
        Assert.Contains("module code fails", log.Text);
        Assert.Contains("modraise.py:3", log.Text.Replace("\", line ", ":"));
    }

    [Fact]
    public void New_code_that_raises_where_the_old_did_not_is_rolled_back()
    {
        using var dir = new TempDir();
        var (log, wav) = RenderWith(dir, "0.5=DIR/v2.py", "1.0=DIR/raises.py");
        Assert.Contains("rolling back", log.Text);
        Assert.Contains("rolled back to the previous version", log.Text);
        Assert.Contains("ZeroDivisionError", log.Text);
        Assert.Equal(0.5f, At(wav, 1.5));  // v2 again, the last good version
        Assert.Equal(0.5f, At(wav, 1.95));
    }

    [Fact]
    public async Task Saving_a_file_while_playing_is_heard_and_reported_in_the_stats()
    {
        using var dir = new TempDir();
        // Periods of 8192 frames leave an idle gap of about 170 ms after each callback: a small module runs there.
        var (log, wav, reload, observedMs) = await PlayAndSave(dir, "v2.py", period: 8192);
        Assert.Equal(0.25f, At(wav, 0.2));
        Assert.Equal(0.5f, At(wav, 2.9));
        Assert.True(reload.Ok, log.Text);
        Assert.EndsWith("mod.py", reload.File);
        Assert.Equal("gap", reload.AppliedIn);
        Assert.Contains("mod.py is live (between callbacks", log.Text);
        // The reported latency is inside what the test saw from outside: from its write to the record.
        Assert.InRange(reload.SaveToLiveMilliseconds, 0.001, observedMs);
        // The swap's time is the frame where the recording changes from the old value to the new.
        var firstNew = Enumerable.Range(0, wav.Frames).First(n => (float)wav.Samples[n * wav.Channels] == 0.5f);
        Assert.Equal(firstNew, reload.AtSeconds * wav.SampleRate, 0.5);
    }

    /// <summary>
    /// Plays piece.csd (extended to 30 s) for 3 s on the null clock and copies <paramref name="save"/> over mod.py
    /// once a second has played (not after the show was built: a save that came before the orchestra ran mod.py
    /// would be the first version, not a reload). Returns the reload's record and how long the test waited for it.
    /// </summary>
    private static async Task<(ShowLog Log, WavFile Wav, ReloadRecord Reload, double ObservedMs)> PlayAndSave(TempDir dir, string save, int period = 256,
        string? firstVersion = null)
    {
        foreach (var f in Directory.GetFiles(TestData.Path("reload"))) File.Copy(f, dir.File(Path.GetFileName(f)), true);
        if (firstVersion is not null) File.WriteAllText(dir.File("mod.py"), firstVersion);
        var csd = dir.File("piece.csd");
        File.WriteAllText(csd, File.ReadAllText(csd).Replace("i1 0 2", "i1 0 30"));
        var log = new ShowLog();
        var options = Options(new ShowRequest { Patch = csd, Audio = "null", Period = period, Duration = 3, Record = dir.File("live.wav") });
        using var show = new Show(options, log.Write);
        var run = Task.Run(() => show.Run());
        Assert.True(Wait.Until(() => show.Engine.FramesPerformed >= show.Engine.SampleRate, TimeSpan.FromSeconds(60)), log.Text);
        var saved = Stopwatch.GetTimestamp();
        File.WriteAllText(dir.File("mod.py"), File.ReadAllText(dir.File(save)));
        Assert.True(Wait.Until(() => show.Reload!.Reloader.Records.Count > 0, TimeSpan.FromSeconds(30)), log.Text);
        var observedMs = Stopwatch.GetElapsedTime(saved).TotalMilliseconds;
        var stats = await run;
        return (log, WavFile.Read(dir.File("live.wav")), Assert.Single(stats.Reloads), observedMs);
    }

    [Fact]
    public async Task Module_code_longer_than_the_idle_gap_is_undone_there_and_run_on_the_audio_thread()
    {
        using var dir = new TempDir();
        var (log, wav, reload, _) = await PlayAndSave(dir, "slow.py");
        Assert.True(reload.Ok, log.Text);
        Assert.Equal("audio_thread", reload.AppliedIn);
        Assert.Contains("outlasted the idle gap", log.Text);
        Assert.Equal(0.25f, At(wav, 0.5));
        Assert.Equal(0.5f, At(wav, 2.9));
        // The audio thread ran the 12 ms of module code itself: the stall says so.
        Assert.True(reload.StallMicroseconds >= 12_000, reload.ToString());
    }

    [Fact]
    public async Task Module_code_that_swallows_the_overrun_with_a_bare_except_still_goes_to_the_audio_thread()
    {
        using var dir = new TempDir();
        var (log, wav, reload, _) = await PlayAndSave(dir, "slowcaught.py");
        Assert.True(reload.Ok, log.Text);
        Assert.Equal("audio_thread", reload.AppliedIn);
        Assert.Equal(0.5f, At(wav, 2.9));
    }

    [Fact]
    public async Task While_playing_module_code_that_raises_changes_nothing()
    {
        using var dir = new TempDir();
        var (log, wav, reload, _) = await PlayAndSave(dir, "modraise.py");
        Assert.False(reload.Ok);
        Assert.Contains("module code fails", reload.Error);
        Assert.Contains("raised while loading; nothing changed", log.Text);
        Assert.All(new[] { 0.5, 1.5, 2.0, 2.9 }, t => Assert.Equal(0.25f, At(wav, t)));
    }

    [Fact]
    public async Task A_function_deleted_from_a_reloaded_file_is_named_since_it_still_answers_calls()
    {
        // The new file no longer defines spare(): its old definition stays in __main__. This used to pass without a word.
        using var dir = new TempDir();
        var first = "state = 0\ndef level():\n    return 0.25\n\ndef spare():\n    return 1\n\nclass Old:\n    pass\n";
        var (log, wav, reload, _) = await PlayAndSave(dir, "v2.py", firstVersion: first);
        Assert.True(reload.Ok, log.Text);
        Assert.Contains("reload: mod.py no longer defines spare, Old; the old definition stays in Python and still answers calls", log.Text);
        Assert.Equal(0.5f, At(wav, 2.9));
    }

    [Theory]
    [InlineData("def a():\n    def inner(): pass\nasync def b(): pass\nclass C(object):\n    def method(self): pass\nx = '''\ndef not_code(): pass'''\n",
        new[] { "a", "b", "C", "not_code" })] // a line inside a string at column 0 is read as code: a rare false name, never a missed one
    public void What_a_file_defines_is_read_from_its_top_level(string source, string[] expected) =>
        Assert.Equal(expected, ModuleDefinitions.Of(source));

    [Fact]
    public async Task While_playing_new_code_that_raises_is_rolled_back()
    {
        using var dir = new TempDir();
        var (log, wav, reload, _) = await PlayAndSave(dir, "raises.py");
        // It loaded, then raised when called, and was undone: its record says so (it said ok: true before).
        Assert.False(reload.Ok);
        Assert.Equal("it raised where the previous version did not", reload.RolledBack);
        Assert.Contains("rolling back", log.Text);
        Assert.Contains("ZeroDivisionError", log.Text);
        Assert.Equal(0.25f, At(wav, 2.9));
    }
}
