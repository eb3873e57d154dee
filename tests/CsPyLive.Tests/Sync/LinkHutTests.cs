using System.Diagnostics;
using Xunit.Abstractions;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// Our Link shim (through link_probe) against Ableton's LinkHut, a peer no one here wrote, and against itself. Every
/// peer runs in a private network namespace with only loopback (<see cref="NetworkNamespace"/>): Link multicasts on
/// every interface, and these tests must not join a session on the machine's network.
/// </summary>
[Collection(LinkCollection.Name)]
public sealed class LinkHutTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Join = TimeSpan.FromSeconds(6);

    [Fact]
    public void A_tempo_changed_on_LinkHut_is_seen_by_the_probe_within_a_second()
    {
        using var ns = new NetworkNamespace();
        using var hut = new LinkHut(ns);
        using var probe = ns.Start(LinkShim.Probe, ["120"]);
        hut.Key("a");
        JoinBoth(hut, probe);
        Thread.Sleep(300); // LinkHut takes a key typed right after another ('a') late or not at all
        var before = hut.Read()!.Tempo;
        foreach (var (key, step) in new[] { ("e", 1.0), ("e", 1.0), ("w", -1.0) })
        {
            var expected = before + step;
            var from = probe.Lines.Count;
            var watch = Stopwatch.StartNew();
            hut.Key(key);
            var seen = probe.WaitForLine(l => ProbeLine.Is(l, p => Math.Abs(p.Tempo - expected) < 0.005), TimeSpan.FromSeconds(1.5), from);
            var latency = watch.Elapsed;
            Assert.True(seen is not null && latency < TimeSpan.FromSeconds(1),
                $"LinkHut's '{key}' ({before} -> {expected} BPM) not seen by the probe within 1 s (took {latency.TotalMilliseconds:F0} ms)\n{probe.Tail()}\n{hut.Screen()}");
            output.WriteLine($"LinkHut '{key}': {expected} BPM seen by the probe after {latency.TotalMilliseconds:F0} ms (probe prints every 100 ms)");
            before = expected;
            Thread.Sleep(300); // LinkHut takes keys typed together as one
        }
    }

    [Fact]
    public void A_tempo_set_by_the_probe_shows_on_LinkHuts_screen_from_the_app_and_the_audio_thread()
    {
        using var ns = new NetworkNamespace();
        using var hut = new LinkHut(ns);
        using var probe = ns.Start(LinkShim.Probe, ["120"]);
        hut.Key("a");
        JoinBoth(hut, probe);
        foreach (var (command, bpm) in new[] { ("tempo", 133.0), ("audio-tempo", 87.0) })
        {
            var watch = Stopwatch.StartNew();
            probe.Send($"{command} {bpm}");
            var shown = hut.WaitForStatus(s => Math.Abs(s.Tempo - bpm) < 0.005, TimeSpan.FromSeconds(3));
            Assert.True(shown is not null, $"'{command} {bpm}' from the probe not on LinkHut's screen after 3 s:\n{hut.Screen()}\n{probe.Tail()}");
            output.WriteLine($"probe '{command} {bpm}': on LinkHut's screen after {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    [Fact]
    public void Two_probes_agree_on_beat_and_phase_within_a_millisecond()
    {
        using var ns = new NetworkNamespace();
        using var one = ns.Start(LinkShim.Probe, ["120"]);
        using var two = ns.Start(LinkShim.Probe, ["97"]);
        Assert.True(one.WaitForLine(l => ProbeLine.Is(l, p => p.Peers >= 1), Join) is not null, "probes did not find each other\n" + one.Tail());
        Assert.True(two.WaitForLine(l => ProbeLine.Is(l, p => p.Peers >= 1), Join) is not null, "probes did not find each other\n" + two.Tail());
        Thread.Sleep(1000); // let the session settle (the second joiner takes the session's timeline)
        var from1 = one.Lines.Count;
        var from2 = two.Lines.Count;
        Thread.Sleep(3000);
        var a = Grid(one.Lines.Skip(from1));
        var b = Grid(two.Lines.Skip(from2));
        var errors = a.Keys.Intersect(b.Keys)
            .Select(g => Math.Abs(a[g].GridBeat - b[g].GridBeat) * 60_000.0 / a[g].Tempo)
            .Order().ToList();
        Assert.True(errors.Count >= 20, $"only {errors.Count} common grid times\n{one.Tail()}\n{two.Tail()}");
        var phase = a.Keys.Intersect(b.Keys).Max(g => PhaseDistance(a[g].GridBeat, b[g].GridBeat, 4) * 60_000.0 / a[g].Tempo);
        output.WriteLine($"beat error between two probes over {errors.Count} grid times: p50 {errors[errors.Count / 2]:F4} ms, " +
            $"p99 {errors[(int)(errors.Count * 0.99)]:F4} ms, max {errors[^1]:F4} ms; bar phase max {phase:F4} ms");
        Assert.True(errors[^1] < 1.0, $"beats differ by up to {errors[^1]:F3} ms");
        Assert.True(phase < 1.0, $"bar phases differ by up to {phase:F3} ms");
        Assert.All(a.Keys.Intersect(b.Keys), g => Assert.Equal(a[g].Tempo, b[g].Tempo));
    }

    /// <summary>How far apart two beats' phases in a bar of <paramref name="quantum"/> are, the short way round.</summary>
    private static double PhaseDistance(double a, double b, double quantum)
    {
        var d = Math.Abs(((a % quantum) + quantum) % quantum - ((b % quantum) + quantum) % quantum);
        return Math.Min(d, quantum - d);
    }

    private static Dictionary<long, ProbeLine> Grid(IEnumerable<string> lines)
    {
        var grid = new Dictionary<long, ProbeLine>();
        foreach (var l in lines) if (ProbeLine.Parse(l) is { } p) grid[p.Grid] = p;
        return grid;
    }

    private static void JoinBoth(LinkHut hut, NamespaceProcess probe)
    {
        Assert.True(probe.WaitForLine(l => ProbeLine.Is(l, p => p.Peers >= 1), Join) is not null,
            $"the probe found no peer\n{probe.Tail()}\n{hut.Screen()}");
        Assert.True(hut.WaitForStatus(s => s.Enabled && s.Peers >= 1, Join) is not null, $"LinkHut found no peer\n{hut.Screen()}");
    }
}
