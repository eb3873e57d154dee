using System.Diagnostics;
using System.Globalization;
using CsPyLive.Python;

namespace CsPyLive.Bench;

/// <summary>
/// How long the performing thread waits for the GIL, per acquisition (what every Python opcode call pays first):
/// alone, and while another host thread runs Python in a tight loop (switch interval 0.5 ms).
/// </summary>
internal static class GilWaitBenchmark
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        PythonRuntime.EnsureInitialized();
        PythonRuntime.Run("def work():\n    s = 0\n    for i in range(200):\n        s += i * i\n    return s");
        Measure("uncontended", seconds, contended: false);
        Measure("another thread running Python", seconds, contended: true);
        return 0;
    }

    private static void Measure(string label, double seconds, bool contended)
    {
        using var stop = new CancellationTokenSource();
        var side = new Thread(() =>
        {
            while (!stop.IsCancellationRequested) PythonRuntime.Run("work()");
        });
        if (contended) side.Start();
        var samples = new List<long>(1 << 20);
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var next = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < end)
        {
            // one acquisition per simulated k-cycle (~23 us apart: ksmps 1024 at 44.1 kHz would be 23 ms; this is denser)
            while (Stopwatch.GetTimestamp() < next) Thread.SpinWait(10);
            next += Stopwatch.Frequency / 44100;
            var t0 = Stopwatch.GetTimestamp();
            using (Gil.Acquire()) { }
            samples.Add(Stopwatch.GetTimestamp() - t0);
        }
        stop.Cancel();
        if (contended) side.Join();
        samples.Sort();
        double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"GIL acquire+release, {label}: n={samples.Count:N0} median {Us(samples[samples.Count / 2]):F2} us, " +
                          $"p99 {Us(samples[(int)(samples.Count * 0.99)]):F2} us, p99.9 {Us(samples[(int)(samples.Count * 0.999)]):F1} us, " +
                          $"max {Us(samples[^1]):F1} us");
    }
}
