using System.Diagnostics;
using System.Globalization;
using static CsPyLive.Bench.HeadlessJackd;
using static CsPyLive.Bench.MidiJitterBenchmark;

namespace CsPyLive.Bench;

/// <summary>
/// Latency from a MIDI note-on to the first output sample of its note, through JACK: cspylive play --midi-in jack
/// against Csound's own JACK modules (-+rtaudio=jack -+rtmidi=jack), on one headless server, measured by
/// <see cref="MidiLatencyProbe"/> in the server's own frame count. Expected: ours within one period; Csound's about
/// its -B buffer plus a period.
/// </summary>
internal static class MidiLatencyBenchmark
{
    private const int Interval = 9600; // 0.2 s; plus 37 frames per note, so the offset inside a period moves

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        NativeEnvironment.Set("JACK_DEFAULT_SERVER", "cspylive-midilatency"); // the probe's clients: libjack reads the C environment
        NativeEnvironment.Set("JACK_NO_START_SERVER", "1");
        return WithJackSession("cspylive-midilatency", seconds, (env, _, subjects) =>
        {
            var (ours, theirs, cli) = (subjects.Ours, subjects.Theirs, subjects.Cli);
            var rows = new List<string>
            {
                Measure("cspylive play --midi-in jack", env, seconds, "cspylive:midi_in", "cspylive:out_1",
                    "dotnet", [cli, "play", ours, "--audio", "jack", "--midi-in", "jack", "--no-connect", "--duration", $"{seconds + 30}", "--no-tui"]),
                Measure("csound -+rtaudio=jack -+rtmidi=jack (-b 256 -B 1024)", env, seconds, "csbench-midi_in:port", "csbench:output1",
                    "csound", ["-+rtaudio=jack", "-+rtmidi=jack", "-M0", "-odac", "-d", "-+jack_client=csbench", "-+jack_midi_client=csbench-midi", theirs]),
            };
            var md = $"""
                ## MIDI note-on to first sample: ours against Csound's JACK modules

                Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- midi-latency {seconds.ToString(CultureInfo.InvariantCulture)}`
                ({BenchmarksFile.Machine()})

                A headless `jackd --no-realtime -d dummy -r 48000 -p {Period}`. A probe of two JACK clients sends a note-on every
                {Interval}+37 frames into the subject's MIDI input and watches the subject's output for the note's first sample,
                both in the server's frame count (`jack_last_frame_time`); the graph runs sender → subject → receiver in one
                cycle. Both subjects play the same step-shaped instrument at ksmps 32. Latency in frames (ms at 48 kHz):

                | subject | notes | min | median | max | median, periods |
                |---|---|---|---|---|---|
                {string.Join("\n", rows)}

                Ours applies each event at the k-cycle holding its own frame in the period being computed, so a note sounds
                in the same period it arrived, from the start of its k-cycle (up to ksmps − 1 frames before the event's
                frame, never later): the constant latency is the JACK period itself, between the device and the graph.
                Csound's JACK MIDI has no frame offsets and its JACK audio module renders into a ring of -B frames.
                """;
            Console.WriteLine(md);
            BenchmarksFile.WriteSection("midi-latency", md);
            return 0;
        });
    }

    private static string Measure(string subject, Dictionary<string, string> env, double seconds, string midiPort, string outPort,
        string program, string[] args)
    {
        using var process = Start(program, args, env);
        try
        {
            WaitForPort(env, midiPort);
            WaitForPort(env, outPort);
            using var probe = new MidiLatencyProbe(Interval, 2400);
            Tool(env, "jack_connect", MidiLatencyProbe.MidiOutPort, midiPort);
            Tool(env, "jack_connect", outPort, MidiLatencyProbe.AudioInPort);
            Thread.Sleep(300);
            probe.Start();
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            var l = probe.Latencies().Order().ToList();
            if (l.Count == 0) return $"| {subject} | 0 | - | - | - | - |";
            var median = l[l.Count / 2];
            string F(long frames) => $"{frames} ({frames / 48.0:0.0} ms)";
            Console.WriteLine($"{subject}: {l.Count} notes, latency min {l[0]} median {median} max {l[^1]} frames");
            return $"| {subject} | {l.Count} | {F(l[0])} | {F(median)} | {F(l[^1])} | {median / (double)Period:0.00} |";
        }
        finally
        {
            Terminate(process, "-INT");
        }
    }
}
