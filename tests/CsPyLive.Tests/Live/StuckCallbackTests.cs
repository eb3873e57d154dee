using System.Text.Json;
using CsPyLive.Tests.Jack;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>Ctrl+C while the audio thread is held in a call that never returns: play must still end.</summary>
public sealed class StuckCallbackTests
{
    [Theory]
    [InlineData("null", "time.sleep(1000)", false)]
    [InlineData("jack", "time.sleep(1000)", false)]
    [InlineData("null", "sum(range(10**14))", true)]
    public void Ctrl_C_ends_play_when_a_python_call_never_gives_the_audio_thread_back(string audio, string blocker, bool saveMeanwhile)
    {
        // Python held in one C call: the watchdog cannot interrupt it, and Csound holds its own lock for the k-cycle,
        // so neither stopping the backend nor tearing Csound down can wait for it. Before, play hung for ever. A
        // C loop also keeps the GIL, so a save made meanwhile (the performer's fix) cannot be swapped in: it must
        // not take Ctrl+C down with it.
        using var server = audio == "jack" ? new JackServer() : null;
        using var dir = new TempDir();
        var patch = new StallingPatch(dir, blocker);
        using var play = BackgroundProcess.CsPyLive(server?.ClientEnvironment, "play", patch.Csd, "--audio", audio,
            "--duration", "30", "--record", dir.File("ours.wav"), "--stats", dir.File("stats.json"), "--no-tui",
            "--python-budget-ms", "60000");
        Assert.True(patch.WaitUntilEntered(play, TimeSpan.FromSeconds(30)), play.StdErr);
        if (saveMeanwhile)
        {
            File.AppendAllText(patch.Module, "\n# fixed, one hopes\n");
            Thread.Sleep(1500); // the save is seen, compiled, and waits for the GIL
        }

        play.Interrupt();
        var result = play.Wait(TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains("the audio thread never came back from its callback", result.StdErr);
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        Assert.True(stats.RootElement.GetProperty("audio_thread_stuck").GetBoolean());
        // The second of sine before the call is in the recording, with a WAV header that says so.
        var ours = WavFile.Read(dir.File("ours.wav"));
        Assert.InRange(ours.Frames, 40_000, 48_000);
        Assert.InRange(ours.Peak, 0.29, 0.31);
    }

    [Fact]
    public void A_second_Ctrl_C_quits_at_once()
    {
        // The way out when stopping itself takes long: here the first Ctrl+C waits for a callback held in Python.
        using var dir = new TempDir();
        var patch = new StallingPatch(dir, "time.sleep(1000)");
        using var play = BackgroundProcess.CsPyLive(null, "play", patch.Csd, "--audio", "null", "--duration", "30",
            "--no-tui", "--python-budget-ms", "60000");
        Assert.True(patch.WaitUntilEntered(play, TimeSpan.FromSeconds(30)), play.StdErr);

        play.Interrupt();
        Thread.Sleep(300); // within the 2 s the first one waits for the callback
        play.Interrupt();
        var result = play.Wait(TimeSpan.FromSeconds(20));
        Assert.Equal(130, result.ExitCode); // 128 + SIGINT: ended by the signal, not by play's own stop
        Assert.Contains("second Ctrl+C: quitting at once", result.StdErr);
        Assert.DoesNotContain("the audio thread never came back", result.StdErr); // the orderly stop had not finished
    }
}
