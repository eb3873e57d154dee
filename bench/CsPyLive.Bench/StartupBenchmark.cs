using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CsPyLive.Bench;

/// <summary>
/// Start-up, the cost NativeAOT removes (issue 15, ADR 0015): wall time of `render` of a 0.1 s and of a 60 s light CSD
/// against `csound -f -o`, `play` from process start to the first callback (startup_ms), and the RSS of hello, for
/// the native build and the JIT build side by side, alternating runs so all see the same machine load.
/// </summary>
internal static class StartupBenchmark
{
    private const string Short = """
        <CsoundSynthesizer>
        <CsInstruments>
        sr = 48000
        ksmps = 32
        nchnls = 2
        0dbfs = 1
        instr 1
          a1 oscili 0.2, p4
          outs a1, a1
        endin
        </CsInstruments>
        <CsScore>
        i1 0 DUR 440
        </CsScore>
        </CsoundSynthesizer>
        """;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 11;
        var root = BenchmarksFile.RepoRoot();
        var native = Build(root, "native");
        var jit = Build(root, "jit");
        var dir = Directory.CreateTempSubdirectory("cspylive-startup-");
        var shortCsd = Path.Combine(dir.FullName, "short.csd");
        var longCsd = Path.Combine(dir.FullName, "light60.csd");
        File.WriteAllText(shortCsd, Short.Replace("DUR", "0.1"));
        File.WriteAllText(longCsd, Short.Replace("DUR", "60"));
        var wav = Path.Combine(dir.FullName, "out.wav");
        var env = new Dictionary<string, string>();

        var shortTimes = Alternate(rounds, [
            () => Time("csound", ["-f", "-o", wav, shortCsd]),
            () => Time(native, ["render", shortCsd, "-o", wav]),
            () => Time("dotnet", [jit, "render", shortCsd, "-o", wav])]);
        var longTimes = Alternate(Math.Max(3, rounds / 3), [
            () => Time("csound", ["-f", "-o", wav, longCsd]),
            () => Time(native, ["render", longCsd, "-o", wav]),
            () => Time("dotnet", [jit, "render", longCsd, "-o", wav])]);
        var hello = Path.Combine(root, "patches", "hello");
        var stats = Path.Combine(dir.FullName, "stats.json");
        var playNative = new List<(double Startup, double Rss)>();
        var playJit = new List<(double Startup, double Rss)>();
        for (var i = 0; i < Math.Max(3, rounds / 2); i++)
        {
            playNative.Add(Play(native, [], hello, stats));
            playJit.Add(Play("dotnet", [jit], hello, stats));
        }
        var wrapper = Alternate(rounds, [
            () => Time(native, ["--version"]),
            () => Time(Path.Combine(root, "cspylive"), ["--version"])]);
        dir.Delete(true);

        string Ms(double s) => (s * 1000).ToString("0", CultureInfo.InvariantCulture);
        string Row(string what, List<double> xs) => $"| {what} | {Ms(Median(xs))} | {string.Join(", ", xs.Select(Ms))} |";
        var (cs, cn, cj) = (Median(shortTimes[0]), Median(shortTimes[1]), Median(shortTimes[2]));
        var (ls, ln, lj) = (Median(longTimes[0]), Median(longTimes[1]), Median(longTimes[2]));
        var md = $"""
            ## Start-up: the native build against the JIT build and `csound`

            Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- startup {rounds}`
            ({BenchmarksFile.Machine()})

            Both builds of the same commit: `artifacts/native/cspylive` (NativeAOT, what `./cspylive` runs on x86-64 Linux,
            ADR 0015) and `dotnet artifacts/cli/cspylive.dll` (the JIT build, what `./cspylive` ran before). Whole-process
            wall time, alternating runs, medians in ms.

            `render` of a 0.1 s CSD (one oscili, float WAV), {rounds} rounds:

            | program | median ms | runs (ms) |
            |---|---|---|
            {Row("`csound -f -o`", shortTimes[0])}
            {Row("native `cspylive render`", shortTimes[1])}
            {Row("JIT `cspylive render`", shortTimes[2])}

            Ratio to csound: native **{cn / cs:0.00}×** (goal: at most 2×), JIT {cj / cs:0.00}×.

            `render` of a 60 s light CSD, {longTimes[0].Count} rounds:

            | program | median ms | runs (ms) |
            |---|---|---|
            {Row("`csound -f -o`", longTimes[0])}
            {Row("native `cspylive render`", longTimes[1])}
            {Row("JIT `cspylive render`", longTimes[2])}

            Ratio to csound: native **{ln / ls:0.00}×** (goal: at most 1.10×), JIT {lj / ls:0.00}×.

            `play patches/hello --audio null`, {playNative.Count} runs each: `startup_ms` from `--stats` (process start, as the
            kernel records it to 10 ms, to the first callback) and the resident memory at the end:

            | build | startup_ms median | runs | RSS MB median |
            |---|---|---|---|
            | native | **{Median(playNative.Select(p => p.Startup).ToList()):0}** | {string.Join(", ", playNative.Select(p => p.Startup.ToString("0", CultureInfo.InvariantCulture)))} | **{Median(playNative.Select(p => p.Rss).ToList()):0.0}** |
            | JIT | {Median(playJit.Select(p => p.Startup).ToList()):0} | {string.Join(", ", playJit.Select(p => p.Startup.ToString("0", CultureInfo.InvariantCulture)))} | {Median(playJit.Select(p => p.Rss).ToList()):0.0} |

            Goal: startup_ms at most 150. The `./cspylive` script adds its dependency check and up-to-date check before the
            program: `--version` took {Ms(Median(wrapper[1]))} ms through the script against {Ms(Median(wrapper[0]))} ms for the binary alone (medians of {rounds}).
            """;
        Console.WriteLine(md);
        BenchmarksFile.WriteSection("startup", md);
        return 0;
    }

    private static string Build(string root, string kind)
    {
        var info = new ProcessStartInfo(Path.Combine(root, "scripts", "build.sh")) { RedirectStandardOutput = true };
        info.ArgumentList.Add(kind);
        using var p = Process.Start(info)!;
        var path = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 ? path : throw new InvalidOperationException($"scripts/build.sh {kind} failed");
    }

    /// <summary>Runs each measurement once per round, in turn.</summary>
    private static List<double>[] Alternate(int rounds, Func<double>[] runs)
    {
        var times = runs.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < rounds; r++)
            for (var i = 0; i < runs.Length; i++) times[i].Add(runs[i]());
        return times;
    }

    private static (double Startup, double Rss) Play(string program, string[] prefix, string patch, string stats)
    {
        Time(program, [.. prefix, "play", patch, "--audio", "null", "--duration", "0.5", "--no-tui", "--stats", stats]);
        using var json = JsonDocument.Parse(File.ReadAllText(stats));
        return (json.RootElement.GetProperty("startup_ms").GetDouble(), json.RootElement.GetProperty("rss_mb").GetDouble());
    }

    private static double Time(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["CSPYLIVE_PYTHON"] = "/usr/bin/python3";
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        watch.Stop();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed with {p.ExitCode}: {err.Result}");
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
