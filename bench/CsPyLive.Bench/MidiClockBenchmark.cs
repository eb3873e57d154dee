using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CsPyLive.Sync;

namespace CsPyLive.Bench;

/// <summary>
/// <c>midi-clock [rounds=3]</c>: MIDI clock from one cspylive (<c>--midi-clock-out</c>) looped through a headless
/// jackd into a second (<c>--sync midi</c>), at 87.3, 133 and 174 BPM: the follower's tempo error once settled (mean
/// and max over its last 2 s) and its settle time (first tick to within 0.1 BPM for good), read from its
/// <c>tempo</c> channel printed every 20 ms; with the sender's xruns (a sender that misses a period really is late).
/// And, in this process, the estimate from ticks with ±1 ms of uniform jitter. Writes the <c>midi-clock</c> section
/// of BENCHMARKS.md. The binary: <c>CSPYLIVE_BINARY</c> (a native build or a cspylive.dll), else artifacts/native/cspylive.
/// </summary>
internal static class MidiClockBenchmark
{
    private const string Csd = """
        <CsoundSynthesizer>
        <CsOptions>
        -d -n
        </CsOptions>
        <CsInstruments>
        sr = 48000
        ksmps = 64
        nchnls = 2
        0dbfs = 1
        instr 1
          printks "clock %.4f %.4f\n", 0.02, times:k(), chnget:k("tempo")
          outs a(0), a(0)
        endin
        </CsInstruments>
        <CsScore>
        i1 0 3600
        </CsScore>
        </CsoundSynthesizer>
        """;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var binary = Environment.GetEnvironmentVariable("CSPYLIVE_BINARY") is { Length: > 0 } b ? b
            : Path.Combine(BenchmarksFile.RepoRoot(), "artifacts", "native", "cspylive");
        if (!File.Exists(binary))
        {
            Console.Error.WriteLine("build the native cspylive first (scripts/build.sh native), or set CSPYLIVE_BINARY");
            return 1;
        }
        var rows = new List<string>();
        foreach (var bpm in new[] { 87.3, 133.0, 174.0 })
        {
            var runs = Enumerable.Range(0, rounds).Select(_ => Loopback(binary, bpm)).Where(r => r is not null).Select(r => r!.Value).ToList();
            if (runs.Count == 0) continue;
            var line = $"| {bpm:0.0} | {runs.Average(r => r.MeanError):0.0000} | {runs.Max(r => r.MaxError):0.0000} | " +
                $"{string.Join(" / ", runs.Select(r => r.Settle.ToString("0.00", CultureInfo.InvariantCulture)))} | {string.Join(" / ", runs.Select(r => r.SenderXruns))} |";
            Console.WriteLine(line);
            rows.Add(line);
        }
        var (jitterMean, jitterMax) = Jitter(133, 1.0);
        Console.WriteLine($"in process, ±1 ms jitter at 133 BPM: mean {jitterMean:0.000} BPM, max {jitterMax:0.000} BPM");
        BenchmarksFile.WriteSection("midi-clock", $"""
            ## MIDI clock (issue 16)

            `CSPYLIVE_BINARY=artifacts/native/cspylive dotnet run -c Release --project bench/CsPyLive.Bench -- midi-clock {rounds}`

            One cspylive sends its beat clock (`--midi-clock-out`, the host's own clock at the given tempo) into a second
            (`--sync midi`) through a headless jackd (dummy driver, 256 frames), connected 1 s after both started; the
            follower prints its `tempo` channel every 20 ms. Error: |tempo - sent| over its last 2 s; settle: from the
            first tick to the last time it was 0.1 BPM or more off, per round; the sender's xruns per round.

            | BPM sent | mean error (BPM) | max error (BPM) | settle (s) per round | sender xruns |
            |---|---|---|---|---|
            {string.Join("\n", rows)}

            In process, ticks with ±1 ms uniform jitter at 133 BPM (rounded to frames, 48-tick line): mean error
            {jitterMean:0.000} BPM, max {jitterMax:0.000} BPM.

            {BenchmarksFile.Machine()}.
            """);
        return 0;
    }

    private readonly record struct Result(double MeanError, double MaxError, double Settle, long SenderXruns);

    private static Process Play(string binary, IEnumerable<string> args, Dictionary<string, string> env)
    {
        var (program, prefix) = binary.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", new[] { binary }) : (binary, Array.Empty<string>());
        var info = new ProcessStartInfo(program, [.. prefix, .. args]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (k, v) in env) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    private static Result? Loopback(string binary, double bpm)
    {
        var dir = Directory.CreateTempSubdirectory("cspylive-midi-clock-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "a"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "b"));
            File.WriteAllText(Path.Combine(dir.FullName, "a", "main.csd"), Csd);
            File.WriteAllText(Path.Combine(dir.FullName, "a", "patch.yaml"), $"sync:\n  tempo: {bpm.ToString(CultureInfo.InvariantCulture)}\n  midi_clock_out: true\n");
            File.WriteAllText(Path.Combine(dir.FullName, "b", "main.csd"), Csd);
            File.WriteAllText(Path.Combine(dir.FullName, "b", "patch.yaml"), "sync:\n  tempo: 90\n");
            using var jackd = new HeadlessJackd("cspylive-bench-clock", 256);
            using var sender = Play(binary, ["play", Path.Combine(dir.FullName, "a"), "--audio", "jack", "--jack-name", "clock-a", "--no-connect",
                "--duration", "10", "--no-tui", "--stats", Path.Combine(dir.FullName, "a.json")], jackd.Environment);
            using var follower = Play(binary, ["play", Path.Combine(dir.FullName, "b"), "--audio", "jack", "--jack-name", "clock-b", "--no-connect",
                "--sync", "midi", "--duration", "7", "--no-tui"], jackd.Environment);
            var errTask = follower.StandardError.ReadToEndAsync();
            var outTask = follower.StandardOutput.ReadToEndAsync();
            _ = sender.StandardError.ReadToEndAsync();
            _ = sender.StandardOutput.ReadToEndAsync();
            HeadlessJackd.WaitForPort(jackd.Environment, "clock-a:midi_out");
            HeadlessJackd.WaitForPort(jackd.Environment, "clock-b:midi_in");
            Thread.Sleep(1000);
            HeadlessJackd.Tool(jackd.Environment, "jack_connect", "clock-a:midi_out", "clock-b:midi_in");
            follower.WaitForExit();
            sender.WaitForExit();
            var output = errTask.Result + outTask.Result;
            var lines = Regex.Matches(output, @"clock (\d+\.\d+) (\d+\.\d+)").Select(m => (T: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                Bpm: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
            var first = lines.FindIndex(l => l.Bpm != 90);
            if (first < 0) return null;
            var lastOff = lines.FindLastIndex(l => Math.Abs(l.Bpm - bpm) >= 0.1);
            var settle = (lastOff + 1 < lines.Count ? lines[lastOff + 1].T : double.NaN) - (lines[first].T - 60 / (bpm * 24));
            var end = lines[^1].T;
            var tail = lines.Where(l => l.T > end - 2).Select(l => Math.Abs(l.Bpm - bpm)).ToList();
            var stats = File.ReadAllText(Path.Combine(dir.FullName, "a.json"));
            var xruns = long.Parse(Regex.Match(stats, "\"xruns\":\\s*(\\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            return new Result(tail.Average(), tail.Max(), settle, xruns);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (double Mean, double Max) Jitter(double bpm, double jitterMs)
    {
        var follower = new MidiClockFollower(48000);
        var random = new Random(16);
        var perTick = 60 * 48000 / (bpm * MidiClockFollower.TicksPerBeat);
        var errors = new List<double>();
        for (var k = 0; k < 24 * 64; k++)
        {
            follower.Handle(0xF8, 0, (long)Math.Round(1000 + k * perTick + (random.NextDouble() * 2 - 1) * jitterMs * 48));
            if (k >= MidiClockFollower.Window) errors.Add(Math.Abs(follower.Tempo - bpm));
        }
        return (errors.Average(), errors.Max());
    }
}
