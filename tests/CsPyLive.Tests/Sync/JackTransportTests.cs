using System.Globalization;
using System.Runtime.InteropServices;
using CsPyLive.Audio.Jack.Interop;
using CsPyLive.Tests.Jack;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// JACK transport as the beat clock's source (<c>--sync jack</c>) and cspylive as its timebase master
/// (<c>--jack-transport-master</c>), on a headless JACK server with <c>jack_transport</c> (jackd2's own tool) rolling it.
/// </summary>
public sealed class JackTransportTests
{
    [Fact]
    public void Our_jack_position_t_has_the_offsets_gcc_gives_the_packed_struct()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pos.c"), """
            #include <jack/types.h>
            #include <stdio.h>
            #include <stddef.h>
            #define O(f) printf(#f " %zu\n", offsetof(jack_position_t, f))
            int main(void) {
              printf("size %zu\n", sizeof(jack_position_t));
              O(frame_rate); O(frame); O(valid); O(bar); O(beat); O(tick); O(bar_start_tick); O(beats_per_bar);
              O(beat_type); O(ticks_per_beat); O(beats_per_minute); O(unique_2);
              return 0;
            }
            """);
        var cc = ProcessRunner.Run("cc", ["-o", dir.File("pos"), dir.File("pos.c")]);
        Assert.True(cc.ExitCode == 0, cc.Output);
        var lines = ProcessRunner.Run(dir.File("pos"), []).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.Equal(lines["size"], Marshal.SizeOf<jack_position_t>());
        foreach (var field in lines.Keys.Where(k => k != "size"))
            Assert.True(lines[field] == (int)Marshal.OffsetOf<jack_position_t>(field), $"{field}: C {lines[field]}, ours {Marshal.OffsetOf<jack_position_t>(field)}");
    }

    private static BackgroundProcess Transport(JackServer server, string script) =>
        new("sh", ["-c", $"({script}) | jack_transport"], server.ClientEnvironment);

    private static BackgroundProcess Follower(JackServer server, TempDir dir, double seconds)
    {
        Directory.CreateDirectory(dir.File("b"));
        File.WriteAllText(dir.File("b/main.csd"), MidiClockLoopbackTests.PrintingCsd);
        File.WriteAllText(dir.File("b/patch.yaml"), "sync:\n  tempo: 90\n");
        return BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", dir.File("b"), "--audio", "jack", "--jack-name", "cspylive-b",
            "--no-connect", "--sync", "jack", "--duration", seconds.ToString(CultureInfo.InvariantCulture), "--no-tui", "--stats", dir.File("b.json"));
    }

    [Fact]
    public void The_beat_clock_follows_jack_transport_tempo_bars_rolling_and_stopped()
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        using var follower = Follower(server, dir, 7);
        Assert.True(follower.WaitForStdErr("beat clock: JACK transport", TimeSpan.FromSeconds(30)), follower.StdErr);
        Assert.True(follower.WaitForStdErr("clock ", TimeSpan.FromSeconds(30)), follower.StdErr);
        // jack_transport as timebase master at 140 BPM (4/4, 1920 ticks), rolling for 3 s, then stopped.
        using var transport = Transport(server, "printf 'master\\ntempo 140\\nplay\\n'; sleep 3; printf 'stop\\n'; sleep 20");
        var result = follower.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        var lines = MidiClockLoopbackTests.ClockLines(result.Output);
        var rolling = lines.Where(l => l.Playing).ToList();
        Assert.True(rolling.Count > 100, $"{rolling.Count} lines rolling:\n{result.Output[^Math.Min(3000, result.Output.Length)..]}");
        Assert.All(rolling, l => Assert.Equal(140, l.Tempo, 3));
        Assert.All(rolling, l => Assert.Equal(4, l.Quantum));
        // jack_transport's own BBT runs slow: it adds a whole number of ticks a cycle (23 for 23.89 at 140 BPM, 256
        // frames, 1920 ticks a beat), and none in a cycle it misses. We take its BBT as it is: its rate within 5 %.
        var (a, b) = (rolling[5], rolling[^5]);
        Assert.InRange((b.Beat - a.Beat) / (b.Time - a.Time), 140.0 / 60 * 0.95, 140.0 / 60 * 1.001);
        // Stopped after rolling: playing 0, the beat held where the transport stopped.
        var stopped = lines.SkipWhile(l => !l.Playing).SkipWhile(l => l.Playing).ToList();
        Assert.True(stopped.Count > 20, $"{stopped.Count} lines after the stop");
        Assert.All(stopped, l => Assert.Equal(stopped[0].Beat, l.Beat, 6));
        Assert.InRange(stopped[0].Beat, 6, 8); // about 3 s at 140 BPM
        var jitted = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("b.json"))).RootElement.GetProperty("audio_thread_jit_methods").GetInt64();
        Assert.True(jitted == 0, $"the JIT compiled {jitted} methods on JACK's thread");
    }

    [Fact]
    public void As_timebase_master_we_publish_our_tempo_and_bars_that_a_second_cspylive_follows()
    {
        using var server = new JackServer(period: 256);
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("a"));
        File.WriteAllText(dir.File("a/main.csd"), MidiClockLoopbackTests.PrintingCsd);
        File.WriteAllText(dir.File("a/patch.yaml"), "sync:\n  tempo: 133\n  quantum: 3\n");
        using var master = BackgroundProcess.CsPyLive(server.ClientEnvironment, "play", dir.File("a"), "--audio", "jack", "--jack-name", "cspylive-a",
            "--no-connect", "--jack-transport-master", "--duration", "12", "--no-tui");
        Assert.True(master.WaitForStdErr("timebase master", TimeSpan.FromSeconds(30)), master.StdErr);
        using var follower = Follower(server, dir, 5);
        Assert.True(follower.WaitForStdErr("clock ", TimeSpan.FromSeconds(30)), follower.StdErr);
        using var transport = Transport(server, "printf 'play\\n'; sleep 20");
        var result = follower.Wait(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        var rolling = MidiClockLoopbackTests.ClockLines(result.Output).Where(l => l.Playing).ToList();
        Assert.True(rolling.Count > 50, $"{rolling.Count} lines rolling:\n{result.Output[^Math.Min(3000, result.Output.Length)..]}\n{master.StdErr}");
        Assert.All(rolling, l => Assert.Equal(133, l.Tempo, 3));
        Assert.All(rolling, l => Assert.Equal(3, l.Quantum));
        // The master's BBT is its beat clock's; a period the master misses (an xrun) leaves its beats behind the
        // server's time for good, so the rate the follower sees is the tempo's within a few %.
        var (a, b) = (rolling[5], rolling[^5]);
        Assert.InRange((b.Beat - a.Beat) / (b.Time - a.Time), 133.0 / 60 * 0.97, 133.0 / 60 * 1.01);
    }
}
