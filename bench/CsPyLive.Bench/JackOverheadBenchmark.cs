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
    }

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        const int period = 256;
        var name = "cspylive-bench-server"; // one name: JACK reclaims a dead server's registry entry only under the same name
        var dir = Directory.CreateTempSubdirectory("cspylive-bench-");
        var heavy = Path.Combine(dir.FullName, "heavy.csd");
        File.WriteAllText(heavy, BenchOrchestras.DspOnly(3600));
        using var jackd = Process.Start(new ProcessStartInfo("jackd", ["--no-realtime", "-n", name, "-d", "dummy", "-r", "48000", "-p", $"{period}"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        jackd.OutputDataReceived += (_, _) => { };
        jackd.ErrorDataReceived += (_, _) => { };
        jackd.BeginOutputReadLine();
        jackd.BeginErrorReadLine();
        try
        {
            NativeEnvironment.Set("JACK_DEFAULT_SERVER", name);
            NativeEnvironment.Set("JACK_NO_START_SERVER", "1");
            using (var wait = Process.Start(new ProcessStartInfo("jack_wait", ["-w", "-t", "10"]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
            {
                wait.StandardError.ReadToEndAsync();
                wait.StandardOutput.ReadToEnd();
                wait.WaitForExit();
            }
            var results = new[]
            {
                Measure("6 x (2 vco2 → moogladder), ksmps 32", heavy, seconds),
                Measure("patches/hello (FM + reverbsc), ksmps 32", Path.Combine(BenchmarksFile.RepoRoot(), "patches", "hello", "hello.csd"), seconds),
            };
            var rows = string.Join("\n", results.Select(r =>
                $"| {r.Orchestra} | {r.Callbacks} | {r.Stats.Xruns} | {1000 * r.CallbackMs / r.Callbacks:0.0} | " +
                $"{1000 * r.PerformMs / r.Callbacks:0.0} | {1000 * (r.CallbackMs - r.PerformMs) / r.Callbacks:0.00} | " +
                $"{r.Stats.P99CallbackMicroseconds} | **{100 * r.Overhead:0.00}%** |"));
            var md = $"""
                ## JACK host overhead: time in our callback outside csoundPerformKsmps

                Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- jack-overhead {seconds.ToString(CultureInfo.InvariantCulture)}`
                ({BenchmarksFile.Machine()})

                A headless `jackd --no-realtime -d dummy -r 48000 -p {period}` started by the benchmark; each orchestra played
                {seconds.ToString(CultureInfo.InvariantCulture)} s (after {WarmUpSeconds} s of warm-up, not counted) through `LiveHost` on `JackAudioBackend` (no recording). "Callback" is our whole JACK
                process function (port buffers, the host's callback with the engine's block adaptation and float conversion,
                deinterleaving, the duration histogram); "perform" is the sum of csoundPerformKsmps calls inside it
                (`Engine.PerformTicks`). Overhead = (callback − perform) / callback; goal: at most 3%.

                | orchestra | callbacks measured | xruns (whole run) | mean callback us | mean perform us | mean overhead us | p99 callback us | overhead |
                |---|---|---|---|---|---|---|---|
                {rows}
                """;
            Console.WriteLine(md);
            BenchmarksFile.WriteSection("jack-overhead", md);
            return 0;
        }
        finally
        {
            if (!jackd.HasExited)
            {
                // SIGTERM lets jackd leave JACK's server registry; SIGKILL would leave its entry behind.
                Process.Start("kill", ["-TERM", jackd.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
                if (!jackd.WaitForExit(5000)) jackd.Kill();
                jackd.WaitForExit();
            }
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
        using var backend = new JackAudioBackend((int)engine.SampleRate, engine.OutputChannels, 0,
            new JackOptions { ClientName = "cspylive-bench", AutoConnect = true });
        var host = new LiveHost(engine, backend, null, (_, _) => { });
        // The first seconds run partly in tier-0 JIT code: measure from a snapshot taken after the warm-up.
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
        Console.WriteLine($"{label}: {r.Callbacks} callbacks, callback {callbackMs:0.0} ms, perform {performMs:0.0} ms, overhead {100 * r.Overhead:0.00}%");
        return r;
    }
}
