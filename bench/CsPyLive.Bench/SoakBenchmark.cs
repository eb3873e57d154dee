using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CsPyLive.Bench;

/// <summary>
/// A long show under everything at once: <c>patches/tablet</c> played by <c>cspylive play</c> on a headless jackd,
/// with live MIDI from <c>jack_midiseq</c> (8 notes a second), an OSC stream of 2,000 messages a second over loopback
/// (faders, Python globals, pads), and a save of <c>tablet.py</c> every 15 s, every fourth one broken. The host's
/// own <c>status</c> line is read at the start, at 5 minutes and at the end (GC collections, RSS); its stats file at
/// the end gives callbacks, xruns, what arrived and the reloads; notes still sounding after the sequencer stops are
/// stuck notes. The OSC sender is this process, the host another: its GC count is the host's alone.
/// </summary>
internal static class SoakBenchmark
{
    private const int OscRate = 2000;
    private const int Period = 256;

    private sealed record Status(double Seconds, long Gc, double RssMb, string Line);

    public static int Run(string[] args)
    {
        var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var write = !args.Contains("--no-write");
        // --only osc,midi,saves,none: some kinds of traffic only, to find where allocations or xruns come from
        var only = Array.IndexOf(args, "--only") is var o and >= 0 ? args[o + 1] : null;
        bool Wants(string kind) => only is null || only.Split(",").Contains(kind);
        write &= only is null;
        var seconds = minutes * 60;
        var dir = Directory.CreateTempSubdirectory("cspylive-soak-");
        try
        {
            var patch = PreparePatch(dir.FullName);
            using var jackd = new HeadlessJackd("cspylive-soak", Period);
            var env = jackd.Environment;
            var port = FreeUdpPort();
            var stats = Path.Combine(dir.FullName, "stats.json");
            using var host = new HostProcess(env, [Path.Combine(AppContext.BaseDirectory, "cspylive.dll"), "play", patch, "--audio", "jack",
                "--midi-in", "jack", "--osc-port", $"{port}", "--duration", seconds.ToString(CultureInfo.InvariantCulture), "--stats", stats, "--no-tui"]);
            host.WaitFor("Ctrl+C stops.", TimeSpan.FromSeconds(120));
            var started = Stopwatch.StartNew();
            HeadlessJackd.WaitForPort(env, "cspylive:midi_in");
            // 8 notes a second: a 6,000-frame loop of one note held 3,000 frames (note-off inside the loop).
            using var seq = HeadlessJackd.Start("jack_midiseq", ["soakseq", "6000", "0", "60", "3000"], env);
            HeadlessJackd.WaitForPort(env, "soakseq:out");
            // a port is listed a moment before its client can be connected ("cannot connect client, already connected?")
            for (var attempt = 1; Wants("midi"); attempt++)
            {
                try
                {
                    HeadlessJackd.Tool(env, "jack_connect", "soakseq:out", "cspylive:midi_in");
                    break;
                }
                catch (InvalidOperationException) when (attempt < 20)
                {
                    Thread.Sleep(250);
                }
            }
            using var stop = new CancellationTokenSource();
            var sender = Task.Run(() => Wants("osc") ? SendOsc(port, stop.Token) : 0);
            var saver = Task.Run(() => Wants("saves") ? Save(Path.Combine(patch, "tablet.py"), stop.Token) : (0, 0));

            var warm = TimeSpan.FromSeconds(Math.Min(30, seconds / 10));
            Thread.Sleep(warm);
            var atStart = host.Ask();
            Console.WriteLine($"at {started.Elapsed.TotalSeconds:0} s: {atStart.Line}");
            Status? atFive = null;
            var fiveMinutes = TimeSpan.FromMinutes(5);
            var end = TimeSpan.FromSeconds(seconds - 8);
            while (started.Elapsed < end)
            {
                Thread.Sleep(1000);
                if (atFive is null && started.Elapsed >= fiveMinutes && fiveMinutes < end)
                {
                    atFive = host.Ask();
                    Console.WriteLine($"at {started.Elapsed.TotalSeconds:0} s: {atFive.Line}");
                }
            }
            stop.Cancel();
            var sent = sender.Result;
            var (saves, broken) = saver.Result;
            HeadlessJackd.Terminate(seq, "-TERM"); // its last note's off may be lost with it: the router's count says
            Thread.Sleep(1500);
            var atEnd = host.Ask();
            Console.WriteLine($"at {started.Elapsed.TotalSeconds:0} s: {atEnd.Line}");
            var exit = host.WaitForExit(TimeSpan.FromSeconds(60));
            using var json = JsonDocument.Parse(File.ReadAllText(stats));
            var r = json.RootElement;
            var reloads = r.GetProperty("reloads").EnumerateArray().ToList();
            var good = reloads.Count(x => x.GetProperty("ok").GetBoolean());
            var row = new Dictionary<string, string>
            {
                ["minutes"] = $"{minutes:0.#}", ["callbacks"] = $"{r.GetProperty("callbacks").GetInt64():N0}",
                ["xruns"] = $"{r.GetProperty("xruns").GetInt64()}", ["max callback"] = $"{r.GetProperty("max_callback_us").GetDouble():0} us",
                ["GC (whole show)"] = $"{r.GetProperty("gc_collections").GetInt64()}",
                ["GC after warm-up"] = $"{atEnd.Gc - atStart.Gc}",
                ["GC after 5 min"] = atFive is null ? "—" : $"{atEnd.Gc - atFive.Gc}",
                ["RSS start / 5 min / end"] = $"{atStart.RssMb:0} / {(atFive is null ? "—" : $"{atFive.RssMb:0}")} / {atEnd.RssMb:0} MB",
                ["OSC sent / received / dropped"] = $"{sent:N0} / {r.GetProperty("osc_received").GetInt64():N0} / {r.GetProperty("osc_dropped").GetInt64():N0}",
                ["MIDI received"] = $"{r.GetProperty("midi_received").GetInt64():N0}",
                ["saves / live / rejected"] = $"{saves} / {good} / {reloads.Count - good} ({broken} broken on purpose)",
                ["notes sounding after MIDI stopped"] = $"{atEnd.Line.Split(" notes sounding")[0].Split(' ').Last()}",
                ["exit"] = $"{exit}",
            };
            var md = new StringBuilder();
            md.AppendLine("## Soak: a long show under MIDI, OSC and saves at once");
            md.AppendLine();
            md.AppendLine("```");
            md.AppendLine("dotnet build -c Release bench/CsPyLive.Bench");
            md.AppendLine($"dotnet bench/CsPyLive.Bench/bin/Release/net10.0/CsPyLive.Bench.dll soak {minutes.ToString(CultureInfo.InvariantCulture)}");
            md.AppendLine("```");
            md.AppendLine();
            md.AppendLine($"""
                `cspylive play patches/tablet` (a copy, with MIDI channel 1 routed to a pluck) on a headless `jackd --no-realtime -d dummy -p {Period}`,
                `jack_midiseq` playing 8 notes a second into `cspylive:midi_in`, {OscRate:N0} OSC messages a second over loopback from the
                benchmark's process (faders, `/py` globals, pads), and `tablet.py` saved every 15 s, every fourth save broken. GC and RSS
                from the host's own `status` line after {warm.TotalSeconds:0} s of warm-up, at 5 minutes and at the end; the rest from its
                `--stats` file. Goal: 0 GC and flat RSS after warm-up, over 60 minutes. ({BenchmarksFile.Machine()})
                """);
            md.AppendLine();
            md.AppendLine("| " + string.Join(" | ", row.Keys) + " |");
            md.AppendLine("|" + string.Concat(row.Keys.Select(_ => "---|")));
            md.AppendLine("| " + string.Join(" | ", row.Values) + " |");
            Console.WriteLine(md);
            if (write) BenchmarksFile.WriteSection("soak", md.ToString());
            return 0;
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>A copy of patches/tablet with a MIDI instrument (a pluck on channel 1) added.</summary>
    private static string PreparePatch(string root)
    {
        var source = Path.Combine(BenchmarksFile.RepoRoot(), "patches", "tablet");
        var patch = Directory.CreateDirectory(Path.Combine(root, "tablet")).FullName;
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(patch, Path.GetFileName(f)));
        var csd = Path.Combine(patch, "tablet.csd");
        File.WriteAllText(csd, File.ReadAllText(csd).Replace("</CsInstruments>", """
            ; soak: MIDI notes on channel 1 (p4 note, p5 velocity 0..0.25)
            instr 10
              icps = cpsmidinn(p4)
              a1 pluck p5, icps, icps, 0, 1
              aenv linsegr 1, 0.01, 1, 0.2, 0
              outs a1 * aenv * 0.5, a1 * aenv * 0.5
            endin
            </CsInstruments>
            """));
        File.AppendAllText(Path.Combine(patch, "patch.yaml"), "midi:\n  channels:\n    1: { instrument: 10, velocity: { max: 0.25 } }\n");
        return patch;
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    /// <summary>OSC to 127.0.0.1 at <see cref="OscRate"/> a second, in 5 ms batches, until stopped; returns how many were sent.</summary>
    private static long SendOsc(int port, CancellationToken stop)
    {
        var packets = new List<byte[]>();
        for (var i = 0; i < 100; i++)
        {
            var x = i / 100f;
            packets.Add(OscSoakPackets.Message("/1/fader1", x));
            packets.Add(OscSoakPackets.Message("/1/fader2", 1 - x));
            packets.Add(OscSoakPackets.Message("/1/fader4", x));
            packets.Add(OscSoakPackets.Message("/1/fader5", x));
            packets.Add(OscSoakPackets.Message("/1/rotary1", x));
            packets.Add(OscSoakPackets.Message("/chn/echo", 0.3f));
            packets.Add(OscSoakPackets.Message("/py/density", 0.5f + x / 4));
            if (i % 10 == 0) packets.Add(OscSoakPackets.Message("/1/push1", 1f));
        }
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        long sent = 0, k = 0;
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * OscRate);
            for (; sent < due; sent++) socket.Send(packets[(int)(k++ % packets.Count)]);
            Thread.Sleep(5);
        }
        return sent;
    }

    /// <summary>Saves tablet.py every 15 s, each a little different (the transposition), every fourth one broken.</summary>
    private static (int Saves, int Broken) Save(string path, CancellationToken stop)
    {
        var original = File.ReadAllText(path);
        int saves = 0, broken = 0;
        while (!stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(15)))
        {
            saves++;
            var text = original.Replace("int(root) + 12 + scale[i]", $"int(root) + {12 * (saves % 2)} + scale[i]") + $"\n# save {saves}\n";
            if (saves % 4 == 0)
            {
                text += "def broken(:\n    pass\n";
                broken++;
            }
            File.WriteAllText(path, text);
        }
        return (saves, broken);
    }

    /// <summary>The host: a <c>cspylive play</c> process whose standard error is read line by line and whose standard input takes commands.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process process;
        private readonly List<string> lines = [];

        public HostProcess(Dictionary<string, string> env, string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            foreach (var (k, v) in env) info.Environment[k] = v;
            process = Process.Start(info)!;
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } l) lock (lines) lines.Add(l); };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
        }

        public void WaitFor(string text, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                lock (lines) if (lines.Any(l => l.Contains(text, StringComparison.Ordinal))) return;
                if (process.HasExited) break;
                Thread.Sleep(100);
            }
            lock (lines) throw new InvalidOperationException($"the host never said '{text}':\n{string.Join('\n', lines.TakeLast(30))}");
        }

        /// <summary>Sends 'status' and reads the answer: "played 12.3 s, ..., 0 GC, RSS 251.3 MB, ...".</summary>
        public Status Ask()
        {
            int before;
            lock (lines) before = lines.Count;
            process.StandardInput.WriteLine("status");
            process.StandardInput.Flush();
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                lock (lines)
                    foreach (var l in lines.Skip(before))
                        if (l.StartsWith("cspylive: status: played ", StringComparison.Ordinal))
                        {
                            var line = l["cspylive: status: ".Length..];
                            double Number(string before, string after)
                            {
                                var s = line.Split(after)[0];
                                var at = s.LastIndexOf(before, StringComparison.Ordinal);
                                return double.Parse(s[(at + before.Length)..].Trim(), CultureInfo.InvariantCulture);
                            }
                            return new Status(Number("played ", " s,"), (long)Number(", ", " GC ("), Number("RSS ", " MB, OSC"), line);
                        }
                Thread.Sleep(50);
            }
            throw new TimeoutException("no answer to 'status'");
        }

        public int WaitForExit(TimeSpan timeout)
        {
            if (!process.WaitForExit(timeout)) { process.Kill(true); process.WaitForExit(); }
            return process.ExitCode;
        }

        public void Dispose()
        {
            if (!process.HasExited) { process.Kill(true); process.WaitForExit(); }
            process.Dispose();
        }
    }
}

/// <summary>OSC messages with one float argument, encoded once.</summary>
internal static class OscSoakPackets
{
    public static byte[] Message(string address, float value)
    {
        var bytes = new List<byte>();
        void Text(string s)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(s));
            bytes.Add(0);
            while (bytes.Count % 4 != 0) bytes.Add(0);
        }
        Text(address);
        Text(",f");
        var b = BitConverter.GetBytes(value);
        if (BitConverter.IsLittleEndian) Array.Reverse(b);
        bytes.AddRange(b);
        return [.. bytes];
    }
}
