using System.Diagnostics;
using System.Text.Json;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Live;

/// <summary>`cspylive play --audio null`: real-time paced, records what the engine produced, writes stats.</summary>
public sealed class PlayNullBackendTests
{
    [Fact]
    public void Plays_in_real_time_records_exactly_the_duration_and_writes_stats()
    {
        using var dir = new TempDir();
        var watch = Stopwatch.StartNew();
        var result = ProcessRunner.CsPyLive("play", Path.Combine(TestData.RepoRoot, "patches", "hello"), "--audio", "null",
            "--duration", "1.5", "--record", dir.File("out.wav"), "--stats", dir.File("stats.json"), "--no-tui");
        watch.Stop();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(watch.Elapsed.TotalSeconds >= 1.5, $"a real-time clock cannot play 1.5 s in {watch.Elapsed.TotalSeconds:0.00} s");

        var wav = WavFile.Read(dir.File("out.wav"));
        Assert.Equal(72000, wav.Frames); // 1.5 s at the patch's 48 kHz
        Assert.True(wav.Peak > 0.05);

        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        var root = stats.RootElement;
        foreach (var key in new[] { "callbacks", "xruns", "period", "sample_rate", "max_callback_us", "p99_callback_us",
                     "reloads", "osc_received", "osc_dropped", "midi_received", "gc_collections" })
            Assert.True(root.TryGetProperty(key, out _), $"stats lack {key}");
        Assert.Equal(48000, root.GetProperty("sample_rate").GetInt32());
        Assert.Equal(256, root.GetProperty("period").GetInt32());
        Assert.Equal("null", root.GetProperty("backend").GetString());
        // The control thread checks the clock every 10 ms: a few more periods may run before it stops the backend.
        var callbacks = root.GetProperty("callbacks").GetInt64();
        Assert.InRange(callbacks, 72000 / 256, 72000 / 256 + 40);
        Assert.Equal(Math.Round(callbacks * 256 / 48000.0, 3), root.GetProperty("seconds_played").GetDouble()); // whole periods, each one counted
        Assert.True(root.GetProperty("xruns").GetInt64() * 10 <= callbacks, root.ToString());
        Assert.True(root.GetProperty("p50_callback_us").GetDouble() > 0);
        Assert.True(root.GetProperty("p99_callback_us").GetDouble() <= root.GetProperty("max_callback_us").GetDouble());
        Assert.Equal(0, root.GetProperty("reloads").GetArrayLength()); // hello has no Python
        Assert.Equal(0, root.GetProperty("osc_received").GetInt64() + root.GetProperty("osc_dropped").GetInt64() + root.GetProperty("midi_received").GetInt64());
        Assert.Equal(0, root.GetProperty("audio_thread_jit_methods").GetInt64());
        Assert.False(root.GetProperty("audio_thread_stuck").GetBoolean());
        Assert.Contains("Ctrl+C stops.", result.StdErr);
        Assert.Contains($" s: {callbacks} callbacks, {root.GetProperty("xruns").GetInt64()} xruns", result.StdErr); // the last line says the same
    }

    [Fact]
    public void Nothing_is_compiled_on_the_audio_thread_while_a_Python_patch_plays()
    {
        // markov calls pycall3t at k-rate and pycall1i at each note's init: the paths a first callback used to JIT
        // (16 methods, a 13 ms callback and an xrun in the first second) before RealtimeCode compiled them ahead.
        using var dir = new TempDir();
        var result = ProcessRunner.CsPyLiveJit("play", Path.Combine(TestData.RepoRoot, "patches", "markov"), "--audio", "null",
            "--duration", "3", "--stats", dir.File("stats.json"), "--no-tui");
        Assert.True(result.ExitCode == 0, result.Output);
        using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        Assert.Equal(0, stats.RootElement.GetProperty("audio_thread_jit_methods").GetInt64());
    }
}
