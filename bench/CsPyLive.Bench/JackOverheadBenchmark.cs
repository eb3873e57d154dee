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

    private sealed record Result(string Orchestra, LiveStats Stats, double CallbackMs, double PerformMs, long Callbacks)
    {
        public double Overhead => (CallbackMs - PerformMs) / CallbackMs;
        public double CallbackUs => 1000 * CallbackMs / Callbacks;
    }

    /// <summary>A headless jackd at <paramref name="period"/> frames, always under one name, made this process's server.</summary>
    private static HeadlessJackd StartJackd(int period)
    {
        var jackd = new HeadlessJackd("cspylive-bench-server", period);
        foreach (var (k, v) in jackd.Environment) NativeEnvironment.Set(k, v); // JackAudioBackend runs in this process
        return jackd;
    }

    /// <summary>
    /// Compiles and runs <c>jack_floor_client.c</c> against the running server for <paramref name="seconds"/>; its
    /// mean callback time in us, or null without a C compiler.
    /// </summary>
    private static double? MeasureFloor(string dir, double seconds)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "jack_floor_client.c");
        var binary = Path.Combine(dir, "jack_floor_client");
        var lib = new[] { "/usr/lib/x86_64-linux-gnu/libjack.so.0", "/usr/lib/aarch64-linux-gnu/libjack.so.0" }.FirstOrDefault(File.Exists);
        if (lib is null) return null;
        try
        {
            using var cc = Process.Start(new ProcessStartInfo("cc", ["-O2", "-o", binary, source, lib]) { RedirectStandardError = true })!;
            var errors = cc.StandardError.ReadToEnd();
            cc.WaitForExit();
            if (cc.ExitCode != 0) { Console.Error.WriteLine(errors); return null; }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using var run = Process.Start(new ProcessStartInfo(binary, [((int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture)])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        run.StandardError.ReadToEndAsync();
        var output = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        var match = System.Text.RegularExpressions.Regex.Match(output, @"us_per_callback ([0-9.]+)");
        Console.WriteLine($"C floor client: {output.Trim()}");
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
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
            double? floor;
            using (StartJackd(period))
            {
                results.Add((period, Measure("6 x (2 vco2 → moogladder), ksmps 32", heavy, seconds)));
                results.Add((period, Measure("patches/hello (FM + reverbsc), ksmps 32", hello, seconds)));
                floor = MeasureFloor(dir.FullName, seconds);
            }
            using (StartJackd(longPeriod))
                results.Add((longPeriod, Measure("patches/hello (FM + reverbsc), ksmps 32", hello, seconds)));
            var floorText = floor is { } f
                ? $"{f:0.00} us a period: {100 * f / results[1].R.CallbackUs:0.0}% of hello's mean callback and {100 * f / results[0].R.CallbackUs:0.0}% of the heavy one's"
                : "not measured (no C compiler)";
            // hello at two periods (8 and 32 k-cycles of 32 frames): split its overhead into per-period and per-k-cycle parts.
            static double OverheadUs(Result r) => 1000 * (r.CallbackMs - r.PerformMs) / r.Callbacks;
            var perKCycle = (OverheadUs(results[2].R) - OverheadUs(results[1].R)) / (longPeriod / 32 - period / 32);
            var perPeriod = OverheadUs(results[1].R) - period / 32 * perKCycle;
            var rows = string.Join("\n", results.Select(x =>
                $"| {x.R.Orchestra} | {x.Period} | {x.R.Callbacks} | {x.R.Stats.Xruns} | {x.R.CallbackUs:0.0} | " +
                $"{1000 * x.R.PerformMs / x.R.Callbacks:0.0} | {1000 * (x.R.CallbackMs - x.R.PerformMs) / x.R.Callbacks:0.00} | " +
                $"{x.R.Stats.P99CallbackMicroseconds} | **{100 * x.R.Overhead:0.00}%** |"));
            var md = $"""
                ## JACK host overhead: time in our callback outside csoundPerformKsmps

                Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- jack-overhead {seconds.ToString(CultureInfo.InvariantCulture)}`
                ({BenchmarksFile.Machine()})

                A headless `jackd --no-realtime -d dummy -r 48000 -p {period}` (and then `-p {longPeriod}` for hello again) started by the benchmark; each orchestra played
                {seconds.ToString(CultureInfo.InvariantCulture)} s (after {WarmUpSeconds} s of warm-up, not counted) through `LiveHost` on `JackAudioBackend` as `play` sets it up (input ports only for an orchestra that asks with
                `-iadc`; these two do not), no recording. "Callback" is our whole JACK
                process function (port buffers, the host's callback with the engine's block adaptation and float conversion,
                deinterleaving, the duration histogram); "perform" is the sum of csoundPerformKsmps calls inside it
                (`Engine.PerformTicks`, with `Engine.TimePerform` on: the two clock reads a k-cycle are charged to the host,
                though `play` does not make them). Overhead = (callback − perform) / callback; goal: at most 3%.

                The floor, measured in the same run on the same server: a C client whose process callback only fetches its
                two output port buffers and zeroes them, timed the same way (`bench/CsPyLive.Bench/jack_floor_client.c`),
                spends {floorText}.

                What the rest is: on this VM every cold cache line or page the callback touches after JACK wakes it costs
                on the order of 0.1–1 us, so the host's cost is the number of places it touches, not its arithmetic.
                Measured once, in stop 9, not by this benchmark (temporary A/B variants of the code toggled in alternating
                100 ms blocks of one run; ±1 us of noise): the duration histogram's TimeSpan/double path on
                a large-object-heap array cost ~2.5–3 us a period (now integer ticks on an ordinary array: 12.7 → 9.4 us
                for hello); a `Span.Clear` of 2 KB cost ~5 us where a plain loop cost ~0.5 us; writing Csound's output
                straight into the port buffers instead of through an interleaved scratch buffer saved only ~0.4 us (not
                done); the per-k-cycle clock reads were below the noise. hello at two periods splits its overhead into
                about {perPeriod:0.0} us a period and {perKCycle:0.00} us a k-cycle (the host's work between two csoundPerformKsmps
                calls, and the call itself), so a longer period does not bring the ratio down much.

                | orchestra | period | callbacks measured | xruns (whole run) | mean callback us | mean perform us | mean overhead us | p99 callback us | overhead |
                |---|---|---|---|---|---|---|---|---|
                {rows}
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
        using var engine = new Engine();
        engine.CompileCsd(csd);
        foreach (var option in Session.HostOverrides) engine.SetOption(option);
        engine.Start();
        engine.Messages.Drain((_, _) => { }, flush: true);
        using var backend = new JackAudioBackend((int)engine.SampleRate, engine.OutputChannels, engine.AudioInputChannels,
            new JackOptions { ClientName = "cspylive-bench", AutoConnect = true });
        var host = new LiveHost(engine, backend, null, (_, _) => { });
        engine.TimePerform = true;
        // The first seconds compile and settle: measure from a snapshot taken after the warm-up.
        (long Process, long Perform, long Callbacks) warm = default;
        var snapshot = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(WarmUpSeconds));
            warm = (backend.ProcessTicks, engine.PerformTicks, backend.Callbacks);
        });
        snapshot.Start();
        var stats = host.Run(seconds + WarmUpSeconds, CancellationToken.None);
        snapshot.Join();
        var callbackMs = (backend.ProcessTicks - warm.Process) * 1000.0 / Stopwatch.Frequency;
        var performMs = (engine.PerformTicks - warm.Perform) * 1000.0 / Stopwatch.Frequency;
        var r = new Result(label, stats, callbackMs, performMs, backend.Callbacks - warm.Callbacks);
        Console.WriteLine($"{label} (period {backend.PeriodFrames}): {r.Callbacks} callbacks, callback {callbackMs:0.0} ms, perform {performMs:0.0} ms, overhead {100 * r.Overhead:0.00}%");
        return r;
    }
}
