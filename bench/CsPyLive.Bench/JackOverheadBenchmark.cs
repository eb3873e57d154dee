using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CsPyLive.Audio.Jack;
using CsPyLive.Csound;
using CsPyLive.Live;

namespace CsPyLive.Bench;

/// <summary>
/// Host overhead on JACK: the time our process callback takes minus the time Csound spends inside
/// csoundPerformKsmps, as a fraction of the callback time, on a headless dummy jackd at -p 256 (started here, under
/// a name of its own). Goal: at most 3%. Two orchestras: a DSP-heavy one (the render benchmark's) and patches/hello.
/// </summary>
internal static partial class JackOverheadBenchmark
{
    private const double WarmUpSeconds = 3;

    private sealed record Result(string Orchestra, LiveStats? Stats, double CallbackMs, double PerformMs, long Callbacks)
    {
        public double OverheadUs => 1000 * (CallbackMs - PerformMs) / Callbacks;
        public double Overhead => (CallbackMs - PerformMs) / CallbackMs;
        public double CallbackUs => 1000 * CallbackMs / Callbacks;

        /// <summary>Overhead as a share of the period's real-time budget (48 kHz).</summary>
        public double ShareOfPeriod(int period) => OverheadUs / (period * 1e6 / 48000);
    }

    /// <summary>A headless jackd at <paramref name="period"/> frames, always under one name, made this process's server.</summary>
    private static HeadlessJackd StartJackd(int period)
    {
        var jackd = new HeadlessJackd("cspylive-bench-server", period);
        foreach (var (k, v) in jackd.Environment) NativeEnvironment.Set(k, v); // JackAudioBackend runs in this process
        return jackd;
    }

    /// <summary>
    /// Compiles one of the benchmark's C programs against libjack (and libcsound when asked) with the machine's
    /// <c>cc</c>; its path, or null without a C compiler or the libraries.
    /// </summary>
    private static string? CompileC(string dir, string name, bool withCsound)
    {
        string? Library(string file) =>
            new[] { "/usr/lib/x86_64-linux-gnu/", "/usr/lib/aarch64-linux-gnu/" }.Select(d => d + file).FirstOrDefault(File.Exists);
        var jack = Library("libjack.so.0");
        var csound = withCsound ? Library("libcsound64.so.6.0") : null;
        if (jack is null || (withCsound && csound is null)) return null;
        var binary = Path.Combine(dir, name);
        try
        {
            string[] arguments = ["-O2", "-o", binary, Path.Combine(AppContext.BaseDirectory, name + ".c"), jack, .. csound is null ? [] : new[] { csound }];
            using var cc = Process.Start(new ProcessStartInfo("cc", arguments) { RedirectStandardError = true })!;
            var errors = cc.StandardError.ReadToEnd();
            cc.WaitForExit();
            if (cc.ExitCode == 0) return binary;
            Console.Error.WriteLine(errors);
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Runs a compiled C program to its end; the numbers it printed, by name ("us_per_callback 2.8 ...").</summary>
    private static Dictionary<string, double> RunC(string binary, params string[] arguments)
    {
        using var run = Process.Start(new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = run.StandardError.ReadToEndAsync();
        var output = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        Console.WriteLine($"{Path.GetFileName(binary)}: {output.Trim()} {errors.Result.Trim()}");
        return System.Text.RegularExpressions.Regex.Matches(output, @"(\w+) ([0-9.]+)")
            .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The C client that only fetches and zeroes two port buffers: its mean callback in us, or null.</summary>
    private static double? MeasureFloor(string dir, double seconds) =>
        CompileC(dir, "jack_floor_client", withCsound: false) is { } binary &&
        RunC(binary, ((int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture)).TryGetValue("us_per_callback", out var us) ? us : null;

    /// <summary>
    /// The C Csound host (<c>csound_floor_host.c</c>) on <paramref name="csd"/>, timed as ours is; null without a C
    /// compiler. Its overhead is what a native host pays on this machine.
    /// </summary>
    private static Result? MeasureCsoundFloor(string dir, string label, string csd, double seconds)
    {
        if (CompileC(dir, "csound_floor_host", withCsound: true) is not { } binary) return null;
        var numbers = RunC(binary, csd, ((int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture),
            ((int)WarmUpSeconds).ToString(CultureInfo.InvariantCulture));
        if (!numbers.TryGetValue("callbacks", out var n) || n == 0) return null;
        return new Result(label, null, numbers["us_per_callback"] * n / 1000, numbers["us_perform"] * n / 1000, (long)n);
    }

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        const int period = 256;
        const int longPeriod = 1024;
        var dir = Directory.CreateTempSubdirectory("cspylive-bench-");
        var heavy = Path.Combine(dir.FullName, "heavy.csd");
        File.WriteAllText(heavy, BenchOrchestras.DspOnly(3600));
        var hello = Path.Combine(BenchmarksFile.RepoRoot(), "patches", "hello", "hello.csd");
        try
        {
            var results = new List<(int Period, Result R)>();
            var native = new List<(int Period, Result R)>();
            double? floor;
            const string helloLabel = "patches/hello (FM + reverbsc), ksmps 32";
            const string nativeLabel = helloLabel + ", **C host**";
            using (StartJackd(period))
            {
                results.Add((period, Measure("6 x (2 vco2 → moogladder), ksmps 32", heavy, seconds)));
                results.Add((period, Measure(helloLabel, hello, seconds)));
                floor = MeasureFloor(dir.FullName, seconds);
                if (MeasureCsoundFloor(dir.FullName, nativeLabel, hello, seconds) is { } c) native.Add((period, c));
            }
            using (StartJackd(longPeriod))
            {
                results.Add((longPeriod, Measure(helloLabel, hello, seconds)));
                if (MeasureCsoundFloor(dir.FullName, nativeLabel, hello, seconds) is { } c) native.Add((longPeriod, c));
            }
            var floorText = floor is { } f
                ? $"{f:0.00} us a period: {100 * f / results[1].R.CallbackUs:0.0}% of hello's mean callback and {100 * f / results[0].R.CallbackUs:0.0}% of the heavy one's"
                : "not measured (no C compiler)";
            // hello at two periods (8 and 32 k-cycles of 32 frames): split its overhead into per-period and per-k-cycle parts.
            var perKCycle = (results[2].R.OverheadUs - results[1].R.OverheadUs) / (longPeriod / 32 - period / 32);
            var perPeriod = results[1].R.OverheadUs - period / 32 * perKCycle;
            // The C host has no LiveStats: its xruns and p99 are not known.
            static string Row(int period, Result r) =>
                $"| {r.Orchestra} | {period} | {r.Callbacks} | {r.Stats?.Xruns.ToString() ?? "–"} | {r.CallbackUs:0.0} | " +
                $"{1000 * r.PerformMs / r.Callbacks:0.0} | {r.OverheadUs:0.00} | {r.Stats?.P99CallbackMicroseconds.ToString() ?? "–"} | " +
                $"**{100 * r.Overhead:0.00}%** | {100 * r.ShareOfPeriod(period):0.00}% |";
            // The goal as ADR 0008 reads it: 3% of the callback where the DSP fills a real part of the period (the
            // heavy orchestra), and 1% of the period (the real-time budget) on every orchestra.
            static string Verdict(bool met) => met ? "met" : "**not met**";
            var heavyShare = results[0].R.Overhead;
            var worstPeriodShare = results.Max(x => x.R.ShareOfPeriod(x.Period));
            var verdict = $"Goal as ADR 0008 reads it: on the heavy orchestra {100 * heavyShare:0.00}% of the callback " +
                $"(at most 3%: {Verdict(heavyShare <= 0.03)}); on every orchestra at most 1% of the period " +
                $"(worst {100 * worstPeriodShare:0.00}%: {Verdict(worstPeriodShare <= 0.01)}). On hello, the light orchestra, the share of " +
                $"the callback is {100 * results[1].R.Overhead:0.00}% at {period} frames and {100 * results[2].R.Overhead:0.00}% at {longPeriod}: the literal " +
                "3% is not what ADR 0008 holds us to there (its reasons are above and in the ADR).";
            var rows = string.Join("\n", results.Concat(native).Select(x => Row(x.Period, x.R)));
            var nativeText = native.Count == 2
                ? $"""
                  It spends {native[0].R.OverheadUs:0.0} us a period outside csoundPerformKsmps at {period} frames ({100 * native[0].R.Overhead:0.00}%) and
                  {native[1].R.OverheadUs:0.0} us at {longPeriod} ({100 * native[1].R.Overhead:0.00}%), so ours costs {results[1].R.OverheadUs - native[0].R.OverheadUs:0.0} us and
                  {results[2].R.OverheadUs - native[1].R.OverheadUs:0.0} us a period more on hello: that difference is the .NET layer.
                  """
                : "It was not measured (no C compiler, or libjack or libcsound missing).";
            var md = $"""
                ## JACK host overhead: time in our callback outside csoundPerformKsmps

                Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- jack-overhead {seconds.ToString(CultureInfo.InvariantCulture)}`
                ({BenchmarksFile.Machine()})

                A headless `jackd --no-realtime -d dummy -r 48000 -p {period}` (and then `-p {longPeriod}` for hello again) started by the benchmark; each orchestra played
                {seconds.ToString(CultureInfo.InvariantCulture)} s (after {WarmUpSeconds} s of warm-up, not counted) through a `Show` on `JackAudioBackend`, as `play` sets it up (input ports only for an orchestra that asks with
                `-iadc`; these two do not), no recording. "Callback" is our whole JACK
                process function (port buffers, the host's callback with the engine's block adaptation and float conversion,
                deinterleaving, the duration histogram); "perform" is the sum of csoundPerformKsmps calls inside it
                (`Engine.PerformTicks`, with `Engine.TimePerform` on: the two clock reads a k-cycle are charged to the host,
                though `play` does not make them; toggling them in alternating blocks put their cost at about 1 us a period
                at 256 frames, with a noise of the same size). Overhead = (callback − perform) / callback; the issue's goal: at most 3%. The last column
                divides the same overhead by the period (5,333 us at 256 frames, 21,333 us at 1024): the share of the real-time budget the host takes.

                **Two references, measured in the same run on the same server.** The floor of any JACK client: a C client whose process
                callback only fetches its two output port buffers and zeroes them, timed the same way
                (`bench/CsPyLive.Bench/jack_floor_client.c`), spends {floorText}.
                The floor of any Csound host: a C client (`bench/CsPyLive.Bench/csound_floor_host.c`, the "C host" rows) that does
                the least a host of Csound must — fetch its port buffers, call csoundPerformKsmps for each k-cycle, copy spout
                into the ports scaled by 0dbfs — on the same hello.csd, timed exactly as ours (clock reads around each
                csoundPerformKsmps included). {nativeText}

                What the .NET layer's cost is: on this VM every cold cache line or page the callback touches after JACK wakes it
                (or after Csound's own k-cycle has evicted it) costs on the order of 0.1–1 us, so the host's cost is the number
                of places it touches, not its arithmetic. The C host touches its code, one struct, spout and the ports; ours
                also touches the runtime's P/Invoke frame and thread, a delegate, and the backend's, host's and engine's objects.
                Measured once each, in stops 9 and 10, not by this benchmark (temporary A/B variants of the code toggled in alternating
                100 ms blocks of one run; ±1 us of noise): the duration histogram's TimeSpan/double path on
                a large-object-heap array cost ~2.5–3 us a period (now integer ticks on an ordinary array: 12.7 → 9.4 us
                for hello); a `Span.Clear` of 2 KB cost ~5 us where a plain loop cost ~0.5 us; writing Csound's output
                straight into the port buffers instead of through an interleaved scratch buffer saved only ~0.4 us (not
                done); one k-cycle loop with a single P/Invoke frame and the action queue looked at once a block instead of
                once a k-cycle saved 0–1 us (not kept); compiling the callback's steady-state path first,
                callees before callers, so its code sits together (`Live/RealtimeCode`), shortened the hand-off from the JACK
                callback to the host by ~0.5 us in timestamps taken inside the callback (kept). hello at two periods splits our overhead into
                about {perPeriod:0.0} us a period and {perKCycle:0.00} us a k-cycle (the host's work between two csoundPerformKsmps
                calls, the call itself and the clock reads), so a longer period does not bring the ratio down much.

                | orchestra | period | callbacks measured | xruns (whole run) | mean callback us | mean perform us | mean overhead us | p99 callback us | overhead (of callback) | overhead (of period) |
                |---|---|---|---|---|---|---|---|---|---|
                {rows}

                {verdict}
                """;
            Console.WriteLine(md);
            BenchmarksFile.WriteSection("jack-overhead", md);
            return 0;
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static Result Measure(string label, string csd, double seconds)
    {
        var options = new ShowOptions
        {
            Patch = PatchSource.Resolve(csd), Audio = "jack", Duration = seconds + WarmUpSeconds,
            Jack = new JackOptions { ClientName = "cspylive-bench", AutoConnect = true },
        };
        using var show = new Show(options, (_, _) => { });
        var engine = show.Engine;
        var backend = (JackAudioBackend)show.Backend;
        engine.TimePerform = true;
        // The first seconds compile and settle: measure from a snapshot taken after the warm-up.
        (long Process, long Perform, long Callbacks) warm = default;
        var snapshot = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(WarmUpSeconds));
            warm = (backend.ProcessTicks, engine.PerformTicks, backend.Callbacks);
        });
        snapshot.Start();
        var stats = show.Run();
        snapshot.Join();
        var callbackMs = (backend.ProcessTicks - warm.Process) * 1000.0 / Stopwatch.Frequency;
        var performMs = (engine.PerformTicks - warm.Perform) * 1000.0 / Stopwatch.Frequency;
        var r = new Result(label, stats, callbackMs, performMs, backend.Callbacks - warm.Callbacks);
        Console.WriteLine($"{label} (period {backend.PeriodFrames}): {r.Callbacks} callbacks, callback {callbackMs:0.0} ms, perform {performMs:0.0} ms, overhead {100 * r.Overhead:0.00}%");
        return r;
    }
}
