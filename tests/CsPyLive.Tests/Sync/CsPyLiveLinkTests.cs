using System.Diagnostics;
using CsPyLive.Tests.Jack;
using CsPyLive.Tests.Support;
using Xunit.Abstractions;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// <c>cspylive play --sync link</c> as a Link peer, against LinkHut and against another cspylive. Every Link peer,
/// cspylive included, runs inside the test's private network namespace (<see cref="CsPyLiveOnLink"/>); JACK servers
/// are reached through their socket files, so jackd itself (no Link) may run outside it.
/// </summary>
[Collection(LinkCollection.Name)]
public sealed class CsPyLiveLinkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Join = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_tempo_set_on_LinkHut_reaches_cspylives_tempo_channel_within_a_second()
    {
        using var dir = new TempDir();
        using var ns = new NetworkNamespace();
        using var hut = new LinkHut(ns);
        using var play = CsPyLiveOnLink.Start(ns, null, "play", CsPyLiveOnLink.TempoPrinter(dir), "--audio", "null", "--sync", "link", "--duration", "60");
        hut.Key("a");
        Assert.True(CsPyLiveOnLink.WaitForPeer(play, Join), $"cspylive found no peer\n{play.Tail(20)}\n{hut.Screen()}");
        Assert.True(hut.WaitForStatus(s => s.Enabled && s.Peers >= 1, Join) is not null, $"LinkHut found no peer\n{hut.Screen()}");
        Thread.Sleep(300); // LinkHut takes a key typed right after another late or not at all
        var before = hut.Read()!.Tempo;
        foreach (var (key, step) in new[] { ("e", 1.0), ("e", 1.0), ("w", -1.0) })
        {
            var expected = before + step;
            var from = play.Lines.Count;
            var watch = Stopwatch.StartNew();
            hut.Key(key);
            var seen = play.WaitForLine(l => l.Trim() == $"tempo {expected:F3}", TimeSpan.FromSeconds(1.5), from);
            var latency = watch.Elapsed;
            Assert.True(seen is not null && latency < TimeSpan.FromSeconds(1),
                $"LinkHut's '{key}' ({before} -> {expected} BPM) not in cspylive's tempo channel within 1 s ({latency.TotalMilliseconds:F0} ms)\n{play.Tail(20)}\n{hut.Screen()}");
            output.WriteLine($"LinkHut '{key}': {expected} BPM in cspylive's tempo channel after {latency.TotalMilliseconds:F0} ms");
            before = expected;
            Thread.Sleep(300);
        }
    }

    [Fact]
    public void A_tempo_sent_to_cspylive_by_OSC_or_typed_on_its_stdin_shows_on_LinkHuts_screen()
    {
        using var dir = new TempDir();
        using var ns = new NetworkNamespace();
        using var hut = new LinkHut(ns);
        const int port = 47_913; // the namespace is ours alone: no other program holds a port in it
        using var play = CsPyLiveOnLink.Start(ns, null, "play", CsPyLiveOnLink.TempoPrinter(dir), "--audio", "null", "--sync", "link",
            "--osc-port", $"{port}", "--duration", "60");
        hut.Key("a");
        Assert.True(CsPyLiveOnLink.WaitForPeer(play, Join), $"cspylive found no peer\n{play.Tail(20)}\n{hut.Screen()}");
        Assert.True(hut.WaitForStatus(s => s.Enabled && s.Peers >= 1, Join) is not null, $"LinkHut found no peer\n{hut.Screen()}");

        var watch = Stopwatch.StartNew();
        var send = ns.Run("oscsend", ["127.0.0.1", $"{port}", "/tempo", "f", "133"]);
        Assert.True(send.ExitCode == 0, send.Output);
        Assert.True(hut.WaitForStatus(s => Math.Abs(s.Tempo - 133) < 0.005, TimeSpan.FromSeconds(3)) is not null,
            $"OSC /tempo 133 not on LinkHut's screen after 3 s\n{hut.Screen()}\n{play.Tail(20)}");
        output.WriteLine($"OSC /tempo 133: on LinkHut's screen after {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(play.WaitForLine(l => l.Trim() == "tempo 133.000", TimeSpan.FromSeconds(1)) is not null, play.Tail(30));

        watch.Restart();
        play.Send("tempo 87.5");
        Assert.True(hut.WaitForStatus(s => Math.Abs(s.Tempo - 87.5) < 0.005, TimeSpan.FromSeconds(3)) is not null,
            $"'tempo 87.5' typed to cspylive not on LinkHut's screen after 3 s\n{hut.Screen()}\n{play.Tail(20)}");
        output.WriteLine($"typed 'tempo 87.5': on LinkHut's screen after {watch.Elapsed.TotalMilliseconds:F0} ms");

        var from = play.Lines.Count;
        ns.Run("oscsend", ["127.0.0.1", $"{port}", "/tempo", "f", "5000"]); // out of range: refused, nothing changes
        Thread.Sleep(500);
        Assert.Equal(87.5, hut.Read()!.Tempo, 3);
        Assert.DoesNotContain(play.Lines.Skip(from), l => l.StartsWith("tempo ", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_cspylive_metronomes_on_one_JACK_server_click_within_a_millisecond_of_each_other()
    {
        using var dir = new TempDir();
        using var ns = new NetworkNamespace();
        using var server = new JackServer();
        var metronome = CsPyLiveOnLink.Metronome(dir);
        // ksmps 64 and 100 with a 256-frame period: k-cycles that straddle periods, clicks inside k-cycles
        var metronome100 = new TempDir();
        using var _ = metronome100;
        var other = CsPyLiveOnLink.Metronome(metronome100, ksmps: 100);
        using var one = CsPyLiveOnLink.Start(ns, server.ClientEnvironment, "play", metronome, "--audio", "jack", "--jack-name", "metro1",
            "--no-connect", "--sync", "link", "--duration", "60");
        using var two = CsPyLiveOnLink.Start(ns, server.ClientEnvironment, "play", other, "--audio", "jack", "--jack-name", "metro2",
            "--no-connect", "--sync", "link", "--duration", "60");
        Assert.True(CsPyLiveOnLink.WaitForPeer(one, Join), $"cspylive 1 found no peer\n{one.Tail(20)}\n{two.Tail(20)}");
        Assert.True(CsPyLiveOnLink.WaitForPeer(two, Join), $"cspylive 2 found no peer\n{two.Tail(20)}");
        one.Send("tempo 137"); // a tempo whose beat is no whole number of frames
        Thread.Sleep(1500);
        var rec = server.Tool("jack_rec", "-f", dir.File("both.wav"), "-d", "6", "metro1:out_1", "metro2:out_1");
        Assert.True(rec.ExitCode == 0, rec.Output);

        var wav = WavFile.Read(dir.File("both.wav"));
        var a = Onsets(wav, 0);
        var b = Onsets(wav, 1);
        var perBeat = 60 * 48000 / 137.0;
        Assert.True(a.Count >= 10 && b.Count >= 10, $"{a.Count} and {b.Count} clicks in 6 s\n{one.Tail(20)}\n{two.Tail(20)}");
        var intervals = a.Zip(a.Skip(1), (x, y) => y - x).ToList();
        output.WriteLine($"intervals between one metronome's clicks: {intervals.Min()}..{intervals.Max()} frames (a beat is {perBeat:F1})");
        // jackd's dummy driver is paced by the system timer, not a sample clock: where its frames run behind the wall
        // clock, Link's beat (wall-clock time) moves against the frames. The typical beat is still the tempo's.
        Assert.InRange(intervals.Order().ElementAt(intervals.Count / 2), perBeat - 4, perBeat + 4);
        var errors = a.Select(t => b.Min(u => Math.Abs(u - t))).Where(e => e < perBeat / 2).Order().ToList();
        Assert.True(errors.Count >= a.Count - 2, $"clicks of one without a click of the other near them: {a.Count} vs {errors.Count}");
        var ms = errors.Select(e => e * 1000.0 / 48000).ToList();
        output.WriteLine($"two cspylive metronomes on Link, {errors.Count} clicks at 137 BPM: onset difference p50 {ms[ms.Count / 2]:F3} ms, " +
            $"max {ms[^1]:F3} ms (ksmps 64 and 100, 256-frame period)");
        Assert.True(ms[^1] <= 1.0, $"onsets differ by up to {ms[^1]:F3} ms: {string.Join(", ", errors)} frames");
    }

    /// <summary>Frames where channel <paramref name="channel"/> rises above half scale (jack_rec writes 16-bit).</summary>
    private static List<long> Onsets(WavFile wav, int channel)
    {
        var onsets = new List<long>();
        var scale = wav.BitsPerSample == 16 ? 32768.0 : wav.BitsPerSample == 24 ? 8388608.0 : wav.BitsPerSample == 32 && wav.FormatTag == 1 ? 2147483648.0 : 1.0;
        for (var f = 0; f < wav.Frames; f++)
            if (wav.Samples[f * wav.Channels + channel] / scale > 0.5 && (onsets.Count == 0 || f - onsets[^1] > 100)) onsets.Add(f);
        return onsets;
    }
}
