using System.Diagnostics;
using System.Globalization;
using CsPyLive.Csound;
using CsPyLive.Python.Opcodes;

namespace CsPyLive.Bench;

/// <summary>
/// Cost of one pycall1 at k-rate, ours (in-process Engine) vs the stock libpy.so (the csound CLI), each net of the same
/// orchestra without the call: ksmps = 1 at sr = 44100, so one call per sample.
/// </summary>
internal static class PyCallBenchmark
{
    private static string Csd(double seconds, bool withCall) => $$"""
        <CsoundSynthesizer>
        <CsOptions>
        -n -d -m0
        </CsOptions>
        <CsInstruments>
        sr = 44100
        ksmps = 1
        nchnls = 1
        0dbfs = 1
        pyinit
        pyruni "def f(x): return x * 0.5"
        instr 1
          kx init 0
          kx += 1
          {{(withCall ? "ky pycall1 \"f\", kx" : "ky = kx * 0.5")}}
        endin
        </CsInstruments>
        <CsScore>
        i1 0 {{seconds.ToString(CultureInfo.InvariantCulture)}}
        </CsScore>
        </CsoundSynthesizer>
        """;

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out var s) ? s : 20;
        var rssIndex = Array.IndexOf(args, "--rss-calls");
        var rssCalls = rssIndex >= 0 ? long.Parse(args[rssIndex + 1], CultureInfo.InvariantCulture) : 0;
        var calls = (long)Math.Round(seconds * 44100);
        Console.WriteLine($"pycall1 at k-rate, ksmps=1, sr=44100, {seconds} s = {calls:N0} calls per run");

        var oursWith = Best(3, () => Ours(Csd(seconds, true)));
        var oursWithout = Best(3, () => Ours(Csd(seconds, false)));
        var stockWith = Best(2, () => Stock(Csd(seconds, true)));
        var stockWithout = Best(2, () => Stock(Csd(seconds, false)));
        var ours = (oursWith - oursWithout) / calls * 1e9;
        var stock = (stockWith - stockWithout) / calls * 1e9;
        Console.WriteLine($"{"",-8}{"with (s)",12}{"without (s)",14}{"per call (ns)",16}");
        Console.WriteLine($"{"ours",-8}{oursWith,12:F3}{oursWithout,14:F3}{ours,16:F0}");
        Console.WriteLine($"{"stock",-8}{stockWith,12:F3}{stockWithout,14:F3}{stock,16:F0}");
        Console.WriteLine($"ours is {stock / ours:F1}x cheaper per call");
        if (rssCalls > 0) MeasureRss(rssCalls);
        return 0;
    }

    private static double Best(int runs, Func<double> measure)
    {
        var best = double.MaxValue;
        for (var i = 0; i < runs; i++) best = Math.Min(best, measure());
        return best;
    }

    /// <summary>Wall clock of compile + perform through our Engine (same work as `csound -n`).</summary>
    private static double Ours(string csd)
    {
        var sw = Stopwatch.StartNew();
        using var engine = new Engine();
        engine.BeforeCompile += PythonOpcodes.Register;
        engine.CompileCsdText(csd);
        engine.Start();
        while (engine.PerformKCycle()) { }
        engine.Messages.Drain((_, _) => { });
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>Wall clock of `csound -n` on the same CSD, with the stock libpy.so allowed to load.</summary>
    private static double Stock(string csd)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cspylive-bench-{Environment.ProcessId}.csd");
        File.WriteAllText(path, csd);
        var info = new ProcessStartInfo("csound", ["-n", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment.Remove(StockPluginOmission.Variable); // our process omits libpy; the stock run must load it
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var elapsed = sw.Elapsed.TotalSeconds;
        if (p.ExitCode != 0 || err.Result.Contains("python exception")) throw new InvalidOperationException("csound failed:\n" + err.Result);
        return elapsed;
    }

    private static void MeasureRss(long calls)
    {
        var seconds = calls / 44100.0;
        using var engine = new Engine();
        engine.BeforeCompile += PythonOpcodes.Register;
        engine.CompileCsdText(Csd(seconds, true));
        engine.Start();
        var rssStart = RssKb();
        var gcStart = GC.CollectionCount(0);
        long done = 0;
        while (engine.PerformKCycle())
        {
            if (++done % 1_000_000 == 0) engine.Messages.Drain((_, _) => { });
        }
        Console.WriteLine($"ours after {done:N0} calls: RSS {RssKb() / 1024.0:F1} MB (at start of performance {rssStart / 1024.0:F1} MB), " +
                          $"gen0 GCs during the run: {GC.CollectionCount(0) - gcStart}");
    }

    internal static long RssKb() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:"))[6..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture);
}
