using System.Diagnostics;
using Xunit.Abstractions;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// The C# binding (<see cref="CsPyLive.Sync.Link.LinkSession"/>) as a Link peer, run by <see cref="LinkPeerProgram"/>
/// inside a private network namespace, against LinkHut and link_probe.
/// </summary>
[Collection(LinkCollection.Name)]
public sealed class LinkSessionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Join = TimeSpan.FromSeconds(8);

    private static NamespaceProcess StartPeer(NetworkNamespace ns, double bpm) =>
        ns.Start("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "CsPyLive.Tests.dll"), "link-peer", $"{bpm}"],
            new Dictionary<string, string> { ["CSPYLIVE_LINK_LIBRARY"] = LinkShim.LibraryPath });

    [Fact]
    public void The_beat_clock_on_a_Link_session_allocates_nothing_on_the_audio_thread()
    {
        using var ns = new NetworkNamespace();
        using var clock = ns.Start("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "CsPyLive.Tests.dll"), "link-clock", "120"],
            new Dictionary<string, string> { ["CSPYLIVE_LINK_LIBRARY"] = LinkShim.LibraryPath });
        var alloc = clock.WaitForLine(l => l.StartsWith("clock-alloc ", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.True(alloc == "clock-alloc 0", $"the beat clock allocated on the audio thread: {alloc}\n{clock.Tail()}");
        output.WriteLine($"{clock.WaitForLine(l => l.StartsWith("clock-cost-ns ", StringComparison.Ordinal), TimeSpan.FromSeconds(5))} " +
            "(one period: clock read, capture, 4 k-cycles, mean of 10000)");
    }

    [Fact]
    public void The_CSharp_peer_follows_LinkHut_sets_its_tempo_and_captures_without_allocating()
    {
        using var ns = new NetworkNamespace();
        using var hut = new LinkHut(ns);
        using var peer = StartPeer(ns, 120);
        hut.Key("a");
        var alloc = peer.WaitForLine(l => l.StartsWith("audio-alloc ", StringComparison.Ordinal), Join);
        Assert.True(alloc == "audio-alloc 0", $"the audio-thread capture allocated: {alloc}\n{peer.Tail()}");
        output.WriteLine($"{peer.WaitForLine(l => l.StartsWith("audio-cost-ns ", StringComparison.Ordinal), Join)} (clock read + CaptureAudio, mean of 10000, as the peer joins)");
        Assert.True(peer.WaitForLine(l => ProbeLine.Is(l, p => p.Peers >= 1), Join) is not null, $"the C# peer found no peer\n{peer.Tail()}\n{hut.Screen()}");
        Assert.True(hut.WaitForStatus(s => s.Enabled && s.Peers >= 1, Join) is not null, $"LinkHut found no peer\n{hut.Screen()}");

        Thread.Sleep(300); // LinkHut takes a key typed right after another ('a') late or not at all
        var expected = hut.Read()!.Tempo + 1;
        var from = peer.Lines.Count;
        var watch = Stopwatch.StartNew();
        hut.Key("e");
        Assert.True(peer.WaitForLine(l => ProbeLine.Is(l, p => Math.Abs(p.Tempo - expected) < 0.005), TimeSpan.FromSeconds(1), from) is not null,
            $"LinkHut's {expected} BPM not seen by the C# peer within 1 s\n{peer.Tail()}");
        output.WriteLine($"LinkHut 'e' -> {expected} BPM seen by the C# peer after {watch.Elapsed.TotalMilliseconds:F0} ms");

        foreach (var (command, bpm) in new[] { ("tempo", 141.0), ("audio-tempo", 78.0) })
        {
            watch.Restart();
            peer.Send($"{command} {bpm}");
            Assert.True(hut.WaitForStatus(s => Math.Abs(s.Tempo - bpm) < 0.005, TimeSpan.FromSeconds(3)) is not null,
                $"'{command} {bpm}' from the C# peer not on LinkHut's screen\n{hut.Screen()}\n{peer.Tail()}");
            output.WriteLine($"C# peer '{command} {bpm}': on LinkHut's screen after {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    [Fact]
    public void The_CSharp_peer_and_the_C_probe_agree_on_the_beat_within_a_millisecond()
    {
        using var ns = new NetworkNamespace();
        using var peer = StartPeer(ns, 120);
        using var probe = ns.Start(LinkShim.Probe, ["90"]);
        Assert.True(peer.WaitForLine(l => ProbeLine.Is(l, p => p.Peers >= 1), Join) is not null, "no peer found\n" + peer.Tail() + probe.Tail());
        Assert.True(probe.WaitForLine(l => ProbeLine.Is(l, p => p.Peers >= 1), Join) is not null, "no peer found\n" + probe.Tail());
        Thread.Sleep(1000);
        var (fromPeer, fromProbe) = (peer.Lines.Count, probe.Lines.Count);
        Thread.Sleep(2500);
        var a = Parse(peer.Lines.Skip(fromPeer));
        var b = Parse(probe.Lines.Skip(fromProbe));
        var errors = a.Keys.Intersect(b.Keys).Select(g => Math.Abs(a[g].GridBeat - b[g].GridBeat) * 60_000.0 / a[g].Tempo).Order().ToList();
        Assert.True(errors.Count >= 15, $"only {errors.Count} common grid times\n{peer.Tail()}\n{probe.Tail()}");
        output.WriteLine($"C# peer vs C probe over {errors.Count} grid times: p50 {errors[errors.Count / 2]:F4} ms, max {errors[^1]:F4} ms");
        Assert.True(errors[^1] < 1.0, $"beats differ by up to {errors[^1]:F3} ms");
    }

    private static Dictionary<long, ProbeLine> Parse(IEnumerable<string> lines)
    {
        var grid = new Dictionary<long, ProbeLine>();
        foreach (var l in lines) if (ProbeLine.Parse(l) is { } p) grid[p.Grid] = p;
        return grid;
    }
}
