using System.Diagnostics;
using System.Globalization;

namespace CsPyLive.Bench;

/// <summary>
/// Render time of a long DSP-only CSD: `cspylive render` against `csound -f -o` of the same file, alternating runs
/// so both see the same machine load. Goal: ours within 5% (the engine is the same; the difference is the host).
/// </summary>
internal static class RenderBenchmark
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var dir = Directory.CreateTempSubdirectory("cspylive-bench-");
        var csd = Path.Combine(dir.FullName, "long.csd");
        File.WriteAllText(csd, BenchOrchestras.DspOnly(seconds));
        var ours = Path.Combine(AppContext.BaseDirectory, "cspylive.dll");

        var csoundTimes = new List<double>();
        var ourTimes = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            csoundTimes.Add(Time("csound", ["-f", "-o", Path.Combine(dir.FullName, "ref.wav"), csd]));
            ourTimes.Add(Time("dotnet", [ours, "render", csd, "-o", Path.Combine(dir.FullName, "ours.wav")]));
            Console.WriteLine($"round {round + 1}: csound {csoundTimes[^1]:0.000} s, cspylive {ourTimes[^1]:0.000} s");
        }
        dir.Delete(true);

        var c = Median(csoundTimes);
        var o = Median(ourTimes);
        var ratio = o / c;
        var md = $"""
            ## Render: `cspylive render` against `csound -f -o`

            Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- render {seconds} {rounds}`
            ({BenchmarksFile.Machine()})

            A {seconds} s stereo DSP-only CSD (6 vco2 pairs through moogladder, sr 48000, ksmps 32), rendered to float
            WAV by each, {rounds} alternating rounds, whole-process wall time including start-up; medians:

            | renderer | median s | runs (s) |
            |---|---|---|
            | `csound -f -o` | {c:0.000} | {string.Join(", ", csoundTimes.Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))} |
            | `cspylive render` | {o:0.000} | {string.Join(", ", ourTimes.Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))} |

            Ratio ours / csound: **{ratio:0.000}** (goal: at most 1.05).
            """;
        Console.WriteLine(md);
        BenchmarksFile.WriteSection("render", md);
        return 0;
    }

    private static double Time(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        watch.Stop();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} failed with {p.ExitCode}");
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
