using System.Diagnostics;
using System.Globalization;
using CsPyLive.Sync;
using CsPyLive.Sync.Link;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// The test assembly's entry point (GenerateProgramFile is off): <c>dotnet exec CsPyLive.Tests.dll link-peer BPM</c>
/// runs a Link peer through our C# binding (<see cref="LinkSession"/>), for <see cref="LinkSessionTests"/> to start
/// INSIDE a private network namespace, never in the test process. It prints what link_probe prints (see
/// link_probe.c; <see cref="ProbeLine"/> reads both), from a thread that stands in for the audio thread and uses only
/// the audio-thread members, and first one line <c>audio-alloc N</c>: the bytes that thread allocated over 10000
/// captures, then <c>audio-cost-ns N</c>: what one clock read and capture took on average. Commands on stdin: <c>tempo BPM</c> (app thread), <c>audio-tempo BPM</c> (audio thread), <c>quit</c>.
/// <c>link-clock BPM</c> runs the host's <see cref="BeatClock"/> on a Link session instead, from a thread that stands
/// in for the audio thread: 10000 periods of 256 frames at 48 kHz (a capture and four k-cycles of 64 each), then
/// prints <c>clock-alloc N</c> (bytes that thread allocated) and <c>clock-cost-ns N</c> (mean cost of one period's
/// clock work), and exits.
/// Without arguments it does nothing (as the generated entry point did).
/// </summary>
public static class LinkPeerProgram
{
    public static int Main(string[] args)
    {
        if (args is ["link-clock", var clockBpm]) return RunClock(double.Parse(clockBpm, CultureInfo.InvariantCulture));
        if (args is not ["link-peer", var bpmText]) return 0;
        using var link = LinkSession.Create(double.Parse(bpmText, CultureInfo.InvariantCulture));
        link.Enable(true);
        var running = true;
        var audioTempo = 0.0;
        var audio = new Thread(() =>
        {
            const double quantum = 4;
            LinkState s, g;
            // From this thread's very first call (LinkSession.Create bound the entry points). The difference is taken
            // before formatting: an interpolated string rents its buffer before it evaluates its holes.
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < 10_000; i++) link.CaptureAudio(link.ClockMicros, quantum, out s);
            var nanos = Stopwatch.GetElapsedTime(start).TotalNanoseconds / 10_000;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Console.WriteLine($"audio-alloc {allocated}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audio-cost-ns {nanos:F0}"));
            while (Volatile.Read(ref running))
            {
                var now = link.ClockMicros;
                var bpm = Interlocked.Exchange(ref audioTempo, 0.0);
                if (bpm > 0) link.AudioRequestTempo(bpm, now);
                link.CaptureAudio(now, quantum, out s);
                var grid = now - now % 100_000;
                link.CaptureAudio(grid, quantum, out g);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"peers {link.PeerCount} tempo {s.Tempo:F4} beat {s.Beat:F6} phase {s.Phase:F6} playing {(s.IsPlaying ? 1 : 0)} grid {grid} gridbeat {g.Beat:F9} next_beat {s.NextBeatMicros} next_bar {s.NextBarMicros}"));
                Thread.Sleep(100);
            }
        }) { IsBackground = true, Name = "link-peer audio" };
        audio.Start();
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["tempo", var t]) link.SetTempo(double.Parse(t, CultureInfo.InvariantCulture));
            else if (parts is ["audio-tempo", var a]) Interlocked.Exchange(ref audioTempo, double.Parse(a, CultureInfo.InvariantCulture));
            else if (parts is ["quit"]) break;
        }
        Volatile.Write(ref running, false);
        audio.Join();
        link.Enable(false);
        return 0;
    }

    private static int RunClock(double bpm)
    {
        using var link = LinkSession.Create(bpm);
        link.Enable(true);
        var clock = new BeatClock(new SyncConfig { Source = SyncSource.Link, Tempo = bpm }, 48000, engine: null, link) { OutputLatencyFrames = 256 };
        long allocated = 0;
        double nanos = 0;
        var audio = new Thread(() =>
        {
            Periods(clock, 100, 0); // the first calls
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            Periods(clock, 10_000, 100 * 256);
            nanos = Stopwatch.GetElapsedTime(start).TotalNanoseconds / 10_000;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { Name = "link-clock audio" };
        audio.Start();
        audio.Join();
        Console.WriteLine($"clock-alloc {allocated}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"clock-cost-ns {nanos:F0}"));
        link.Enable(false);
        return 0;
    }

    private static void Periods(BeatClock clock, int count, long frame)
    {
        for (var i = 0; i < count; i++, frame += 256)
        {
            clock.BeginPeriod(frame);
            for (var k = 0; k < 256; k += 64) clock.BeforeKCycle(frame + k);
        }
    }
}
