using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CsPyLive.Audio.Null;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Osc;
using CsPyLive.Realtime;
using CsPyLive.Python;

namespace CsPyLive.Bench;

/// <summary>
/// OSC over UDP on loopback into a playing engine (null backend, real-time clock): how many messages a second are
/// received, decoded and applied with none lost; and whether the audio callback's times move during a flood at ten
/// times the goal rate, side by side with a run without it. The sender is bounded in count and time, 127.0.0.1 only.
/// </summary>
internal static class OscThroughputBenchmark
{
    private const double GoalRate = 50_000;

    private const string Orchestra = """
        <CsoundSynthesizer>
        <CsInstruments>
        sr = 48000
        ksmps = 32
        nchnls = 2
        0dbfs = 1
        pyinit
        pyruni "x = 0.0"
        instr 1
          klevel chnget "level"
          kx pyeval "float(x)"
          chnset klevel + kx, "seen"
          a1 vco2 0.1, 110
          a2 vco2 0.1, 165.5, 2, 0.3
          af moogladder a1 + a2, 2000, 0.5
          outs af, af
        endin
        </CsInstruments>
        <CsScore>
        i 1 0 3600
        </CsScore>
        </CsoundSynthesizer>
        """;

    private sealed record Result(string Label, double Rate, long Sent, long Received, long Applied, long Coalesced, double SendSeconds, LiveStats Stats, bool LastValueSeen);

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var throughput = new List<Result>();
        foreach (var rate in new[] { GoalRate, 2 * GoalRate })
            throughput.Add(Measure($"{rate:0} msg/s for 5 s", rate, 5, 6));
        var quiet = Measure("no OSC", 0, 0, seconds);
        var flood = Measure($"flood at {10 * GoalRate:0} msg/s", 10 * GoalRate, seconds - 2, seconds);

        string Row(Result r) => $"| {r.Label} | {r.Sent:N0} | {r.Received:N0} | {r.Sent - r.Received:N0} | " +
            $"{(r.SendSeconds > 0 ? r.Received / r.SendSeconds : 0):N0} | {r.Applied:N0} | {r.Coalesced:N0} | {(r.Sent == 0 ? "-" : r.LastValueSeen ? "yes" : "NO")} |";
        string Audio(Result r) => $"| {r.Label} | {r.Stats.Callbacks} | {r.Stats.Xruns} | {r.Stats.P50CallbackMicroseconds} | {r.Stats.P99CallbackMicroseconds} | {r.Stats.MaxCallbackMicroseconds} | {r.Stats.GcCollections} | {r.Received:N0} |";
        var md = $"""
            ## OSC throughput on loopback, and the audio callback during a flood

            Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- osc-throughput {seconds.ToString(CultureInfo.InvariantCulture)}`
            ({BenchmarksFile.Machine()})

            A sender thread in this process sends UDP datagrams to 127.0.0.1, paced in 1 ms batches, alternating
            `/chn/level f N` and `/py/x f N` with N counting up; `OscUdpServer` receives, decodes and routes them into a
            live engine (null backend, 48 kHz, period 256, ksmps 32, a vco2/moogladder voice, Python `pyeval` every
            k-cycle). "Received" counts messages decoded and routed; the difference to "sent" is what the kernel dropped.
            Values for "now" coalesce per target (the audio thread applies the latest value of each target once per
            k-cycle; see ADR 0005), so "applied" counts k-boundary writes, and "last value seen" checks that the final N
            reached both the channel and the Python global. Goal: ≥ {GoalRate:N0} messages/s with none lost.

            | run | sent | received | lost | received/s | applied | coalesced | last value seen |
            |---|---|---|---|---|---|---|---|
            {string.Join("\n", throughput.Select(Row))}
            {Row(flood)}

            Audio callback times, {seconds.ToString(CultureInfo.InvariantCulture)} s each, without OSC and with a flood at ten times the goal rate (sent for {seconds - 2} s):

            | run | callbacks | xruns | p50 us | p99 us | max us | GCs | OSC messages received |
            |---|---|---|---|---|---|---|---|
            {Audio(quiet)}
            {Audio(flood)}

            The null backend's audio thread was scheduled {audioScheduling} (SCHED_FIFO when the system allows it); our
            OSC receive thread and the benchmark's sender run at nice +5 and +10, as input threads and another device.
            """;
        Console.WriteLine(md);
        BenchmarksFile.WriteSection("osc-throughput", md);
        return 0;
    }

    private static Result Measure(string label, double rate, double sendSeconds, double playSeconds)
    {
        var dir = Directory.CreateTempSubdirectory("cspylive-bench-osc-");
        try
        {
            var csd = Path.Combine(dir.FullName, "osc.csd");
            File.WriteAllText(csd, Orchestra);
            var options = new ShowOptions
            {
                Patch = PatchSource.Resolve(csd), Audio = "null", Period = 256, Duration = playSeconds,
                OscListen = new OscOptions { UdpPort = 0 },
            };
            using var show = new Show(options, (_, _) => { });
            var engine = show.Engine;
            var backend = (NullAudioBackend)show.Backend;
            var osc = show.Inputs.OfType<OscInput>().Single();
            LiveStats? stats = null;
            var audio = new Thread(() => stats = show.Run()) { Name = "bench-control" };
            audio.Start();
            Thread.Sleep(500); // the engine is running and the JIT warm
            var (sent, took) = rate > 0 ? Send(osc.Udp!.LocalEndPoint.Port, rate, sendSeconds) : (0, 0);
            var settle = Stopwatch.StartNew();
            while (osc.Received < sent && settle.Elapsed < TimeSpan.FromSeconds(2)) Thread.Sleep(10);
            Thread.Sleep(100);
            var seen = engine.ReadChannel(engine.ChannelSlot("seen"));
            audio.Join();
            var s = osc.Dispatcher.Stats;
            var last = sent; // the last two messages carry N = sent - 1 and sent
            var lastSeen = sent == 0 || Math.Abs(seen - (2.0 * last - 1)) < 1e-6;
            var run = new Result(label, rate, sent, s.Messages, s.Applied, s.Coalesced, took, stats!, lastSeen);
            audioScheduling = backend.Scheduling;
            Console.WriteLine($"{label}: audio thread {backend.Scheduling}; sent {sent}, received {s.Messages}, applied {s.Applied}, coalesced {s.Coalesced}, " +
                $"malformed {s.Malformed}, dropped {s.Dropped}; callbacks p99 {stats!.P99CallbackMicroseconds} us max {stats.MaxCallbackMicroseconds} us");
            return run;
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>Sends alternating /chn/level and /py/x with N = 1, 2, 3... at <paramref name="rate"/> for at most <paramref name="seconds"/>.</summary>
    private static SchedulingClass audioScheduling;

    private static (long Sent, double Seconds) Send(int port, double rate, double seconds)
    {
        // On stage the flood comes from another device; here it shares our two cores. Niced like our own receive
        // thread, it stands in for that device without taking the audio thread's core away.
        ThreadScheduling.MakeBackgroundThread(10);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var chn = new byte[64];
        var py = new byte[64];
        int Build(byte[] buffer, string address)
        {
            var w = new OscWriter(buffer);
            w.WriteAddress(Encoding.ASCII.GetBytes(address), "f"u8);
            w.WriteFloat32(0);
            return w.Length;
        }
        var chnLength = Build(chn, "/chn/level");
        var pyLength = Build(py, "/py/x");
        var total = (long)(rate * seconds);
        var watch = Stopwatch.StartNew();
        long sent = 0;
        while (sent < total && watch.Elapsed.TotalSeconds < seconds)
        {
            // at most 10 ms' worth per batch, so the time limit is checked even when the sender falls behind
            var due = Math.Min(Math.Min(total, (long)(watch.Elapsed.TotalSeconds * rate) + (long)(rate / 1000)), sent + (long)(rate / 100));
            while (sent < due)
            {
                sent++;
                var (buffer, length) = sent % 2 == 1 ? (chn, chnLength) : (py, pyLength);
                System.Buffers.Binary.BinaryPrimitives.WriteSingleBigEndian(buffer.AsSpan(length - 4), sent);
                socket.Send(buffer.AsSpan(0, length));
            }
            Thread.Sleep(1);
        }
        return (sent, watch.Elapsed.TotalSeconds);
    }
}
