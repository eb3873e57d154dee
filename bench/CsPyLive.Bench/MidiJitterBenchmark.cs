using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using static CsPyLive.Bench.HeadlessJackd;

namespace CsPyLive.Bench;

/// <summary>
/// Onset jitter of JACK MIDI input: jack_midiseq plays a note every <c>loop</c> frames (not a multiple of the period,
/// so events land at every offset inside periods) into the subject; jack_rec records the subject's output port; the
/// spread (max − min) of the intervals between onsets in the recording is the jitter. Subjects: <c>cspylive play
/// --midi-in jack</c> and <c>csound -+rtaudio=jack -+rtmidi=jack</c>, one after the other on the same headless jackd,
/// with the same step-shaped instrument (so an onset is one frame, not a sine's zero crossing). Goal for ours: 0.
/// </summary>
internal static class MidiJitterBenchmark
{
    internal const int Period = 256;
    private const int Loop = 12000;      // 0.25 s at 48 kHz; 12000 mod 256 = 224

    internal const string Header = "sr = 48000\nksmps = 32\nnchnls = 2\n0dbfs = 1\n";

    /// <summary>ksmps for this run (<c>--ksmps N</c>; 32 by default, which divides the loop: 64 does not).</summary>
    private static int ksmps = 32;

    // Ours: the note router plays instr 1 with p5 = velocity. Csound's: its MIDI system, velocity from veloc.
    internal const string OursOrchestra = "instr 1\n kenv linsegr 1, 1, 1, 0.05, 0\n asig upsamp p5 / 127 * 0.5 * kenv\n outs asig, asig\nendin\n";
    internal const string CsoundOrchestra = "massign 0, 1\ninstr 1\n ivel veloc 0, 127\n kenv linsegr 1, 1, 1, 0.05, 0\n asig upsamp ivel / 127 * 0.5 * kenv\n outs asig, asig\nendin\n";

    private sealed record Result(string Subject, string Command, int Notes, long Min, long Max, double Mean, double Std, int OffIdeal,
        long CleanSpread, int LostPeriods)
    {
        public long Spread => Max - Min;
    }

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 && !args[0].StartsWith("--") ? double.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        if (Array.IndexOf(args, "--ksmps") is var k and >= 0) ksmps = int.Parse(args[k + 1], CultureInfo.InvariantCulture);
        // One server name: JACK reclaims a dead server's registry entry only under the same name.
        return WithJackSession("cspylive-midijitter", seconds, (env, dir, subjects) =>
        {
            var (ours, theirs, cli) = (subjects.Ours, subjects.Theirs, subjects.Cli);
            var engineSide = Path.Combine(dir, "engine.wav");
            var results = new List<Result>
            {
                Measure("cspylive play --midi-in jack", env, dir, seconds, "cspylive:midi_in", "cspylive:out_1",
                    "dotnet", [cli, "play", ours, "--audio", "jack", "--midi-in", "jack", "--no-connect", "--duration", $"{seconds + 30}", "--no-tui",
                        "--record", engineSide, "--stats", Path.Combine(dir, "stats.json")],
                    "cspylive play ours.csd --audio jack --midi-in jack"),
                Measure("csound -+rtaudio=jack -+rtmidi=jack", env, dir, seconds, "csbench-midi_in:port", "csbench:output1",
                    "csound", ["-+rtaudio=jack", "-+rtmidi=jack", "-M0", "-odac", "-d", "-+jack_client=csbench", "-+jack_midi_client=csbench-midi", theirs],
                    "csound -+rtaudio=jack -+rtmidi=jack -M0 -odac (default -b 256 -B 1024)"),
            };
            // What our engine produced, frame by frame (its --record): jitter without the JACK graph's xruns.
            results.Insert(1, Analyse("cspylive, its own --record (engine frames)", "the same run's --record", ReadLeft(engineSide)));
            using var stats = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "stats.json")));
            var xruns = stats.RootElement.GetProperty("xruns").GetInt64();
            var callbacks = stats.RootElement.GetProperty("callbacks").GetInt64();
            var rows = string.Join("\n", results.Select(r =>
                $"| {r.Subject} | {r.Notes} | {r.Min} | {r.Max} | {r.Spread} | {r.Std:0.0} | {r.OffIdeal} | {r.LostPeriods} | **{r.CleanSpread}** | `{r.Command}` |"));
            var md = $"""
                ## MIDI onset jitter: JACK MIDI in, notes at a fixed period{(ksmps == 32 ? "" : $", ksmps {ksmps}")}

                Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- midi-jitter {seconds.ToString(CultureInfo.InvariantCulture)}{(ksmps == 32 ? "" : $" --ksmps {ksmps}")}`
                ({BenchmarksFile.Machine()})

                A headless `jackd --no-realtime -d dummy -r 48000 -p {Period}`; `jack_midiseq seq {Loop} 0 60 3000` sends a note every
                {Loop} frames ({Loop} mod {Period} = {Loop % Period}, so events fall at every offset inside a period) into each subject in
                turn; `jack_rec -d {seconds.ToString(CultureInfo.InvariantCulture)}` records the subject's first output port. Both play the same
                step-shaped instrument at ksmps {ksmps} ({Loop} mod {ksmps} = {Loop % ksmps}; an onset is a single frame). Jitter = spread (max − min) of the intervals between
                consecutive onsets in the recording, in frames; the ideal interval is {Loop}.

                | subject | notes | min interval | max interval | spread, all | std dev | intervals ≠ {Loop} | of which off by whole periods (xruns) | **jitter** (spread of the rest) | command |
                |---|---|---|---|---|---|---|---|---|---|
                {rows}

                xruns the JACK server reported to cspylive during its run: **{xruns}** (in {callbacks} callbacks).
                The JACK-side recordings include the graph's own hiccups: on this shared 2-core VM the dummy driver runs late now
                and then (FACTS.md), and a period lost to jack_rec or skipped by the graph shows up as an interval exactly one period
                ({Period} frames) off, in either subject. A period JACK skips for our client but not for jack_midiseq leaves our
                engine one period behind the sequencer from then on: the next onset comes exactly {Period} frames early, also in
                the engine-side recording (its `--record`). Intervals off by anything else than a whole period would be our
                timing; there were none when no xrun happened (the test `Notes_from_jack_midiseq_sound_at_a_constant_spacing_and_release`
                asserts every interval is exact).

                Ours places each event at `engine.OutputFrame + event.time` and plays sample-accurate (ADR 0014), so the onset is
                that frame, at any ksmps: a constant latency (see midi-latency: the note sounds in the period it arrived in). Csound's JACK MIDI reads the port's events without their frame offsets and
                applies them at its next k-cycle, so its onsets move with where in a period (and its -b/-B buffering) they arrived.
                """;
            Console.WriteLine(md);
            BenchmarksFile.WriteSection(ksmps == 32 ? "midi-jitter" : $"midi-jitter-ksmps{ksmps}", md);
            return 0;
        });
    }

    /// <summary>The two subjects' orchestras, written to <paramref name="dir"/>: the same step-shaped instrument.</summary>
    internal sealed record Subjects(string Ours, string Theirs, string Cli);

    /// <summary>
    /// Runs <paramref name="body"/> with a headless jackd of its own (at <see cref="Period"/>) and a temporary folder
    /// holding both subjects' CSDs, and stops the server with SIGTERM afterwards: a killed jackd leaves its entry in
    /// JACK's shared server registry (8 slots for the whole machine), and once it is full no jackd starts.
    /// </summary>
    internal static int WithJackSession(string name, double seconds, Func<Dictionary<string, string>, string, Subjects, int> body)
    {
        var dir = Directory.CreateTempSubdirectory(name + "-");
        using var jackd = new HeadlessJackd(name, Period);
        var env = jackd.Environment;
        try
        {
            var ours = Path.Combine(dir.FullName, "ours.csd");
            File.WriteAllText(ours, Csd(OursOrchestra, "", seconds + 30));
            var theirs = Path.Combine(dir.FullName, "csound.csd");
            File.WriteAllText(theirs, Csd(CsoundOrchestra, "", seconds + 30));
            return body(env, dir.FullName, new Subjects(ours, theirs, Path.Combine(AppContext.BaseDirectory, "cspylive.dll")));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    internal static string Csd(string orchestra, string options, double seconds) =>
        $"<CsoundSynthesizer>\n<CsOptions>\n{options}\n</CsOptions>\n<CsInstruments>\n{Header.Replace("ksmps = 32", $"ksmps = {ksmps}")}{orchestra}</CsInstruments>\n" +
        $"<CsScore>\nf0 {seconds.ToString(CultureInfo.InvariantCulture)}\n</CsScore>\n</CsoundSynthesizer>\n";

    private static Result Measure(string subject, Dictionary<string, string> env, string dir, double seconds, string midiPort, string outPort,
        string program, string[] args, string command)
    {
        using var process = Start(program, args, env);
        Process? sequencer = null;
        try
        {
            WaitForPort(env, midiPort);
            WaitForPort(env, outPort);
            sequencer = Start("jack_midiseq", ["seq", $"{Loop}", "0", "60", "3000"], env);
            WaitForPort(env, "seq:out");
            Tool(env, "jack_connect", "seq:out", midiPort);
            Thread.Sleep(500);
            var wav = Path.Combine(dir, subject.Split(' ')[0] + ".wav");
            Tool(env, "jack_rec", "-f", wav, "-d", seconds.ToString(CultureInfo.InvariantCulture), outPort);
            return Analyse(subject, command, ReadLeft(wav));
        }
        finally
        {
            if (sequencer is not null) Terminate(sequencer, "-TERM");
            sequencer?.Dispose();
            Terminate(process, "-INT"); // Ctrl+C, so that cspylive finishes its --record file
        }
    }

    private static Result Analyse(string subject, string command, float[] recording)
    {
        var onsets = Onsets(recording);
        var intervals = onsets.Zip(onsets.Skip(1), (a, b) => b - a).ToArray();
        if (intervals.Length < 3) throw new InvalidOperationException($"{subject}: only {onsets.Count} onsets recorded");
        var mean = intervals.Average();
        var std = Math.Sqrt(intervals.Average(i => (i - mean) * (i - mean)));
        Console.WriteLine($"{subject}: {onsets.Count} onsets, intervals {intervals.Min()}..{intervals.Max()}, std {std:0.0}");
        // An interval off the ideal by a whole number of periods is a period JACK skipped for one side (an xrun), not
        // timing: both subjects get the same treatment.
        var lost = intervals.Where(i => i != Loop && (i - Loop) % Period == 0).ToArray();
        var clean = intervals.Where(i => i == Loop || (i - Loop) % Period != 0).ToArray();
        var cleanSpread = clean.Length == 0 ? 0 : clean.Max() - clean.Min();
        return new Result(subject, command, onsets.Count, intervals.Min(), intervals.Max(), mean, std, intervals.Count(i => i != Loop),
            cleanSpread, lost.Length);
    }

    private static List<long> Onsets(float[] x)
    {
        var onsets = new List<long>();
        var on = false;
        for (var i = 0; i < x.Length; i++)
        {
            var now = Math.Abs(x[i]) > 0.01;
            if (now && !on) onsets.Add(i);
            on = now;
        }
        // The first note may have been cut by jack_rec's start.
        if (onsets.Count > 0 && onsets[0] == 0) onsets.RemoveAt(0);
        return onsets;
    }

    /// <summary>The first channel of a WAV file jack_rec wrote (16-bit PCM, 24-bit PCM or 32-bit float).</summary>
    private static float[] ReadLeft(string path)
    {
        var d = File.ReadAllBytes(path);
        int channels = 1, bits = 16, tag = 1;
        var pos = 12;
        while (pos + 8 <= d.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(d, pos, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(d.AsSpan(pos + 4));
            if (id == "fmt ")
            {
                tag = BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(pos + 8));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(pos + 10));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(pos + 22));
            }
            else if (id == "data")
            {
                var bytes = bits / 8;
                var available = d.Length - pos - 8;
                var frames = (size <= 0 ? available : Math.Min(size, available)) / (bytes * channels); // 0: not finalised
                var x = new float[frames];
                for (var i = 0; i < frames; i++)
                {
                    var s = d.AsSpan(pos + 8 + i * bytes * channels);
                    x[i] = (tag, bits) switch
                    {
                        (3, 32) => BinaryPrimitives.ReadSingleLittleEndian(s),
                        (_, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
                        (_, 24) => (s[0] | (s[1] << 8) | ((sbyte)s[2] << 16)) / 8388608f,
                        _ => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648f,
                    };
                }
                return x;
            }
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"{path}: no data chunk");
    }
}
