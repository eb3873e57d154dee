using System.Diagnostics;
using System.Globalization;
using CsPyLive.Sync;

namespace CsPyLive.Bench;

/// <summary>
/// <c>beat-clock [seconds=30]</c>: (1) the beat clock's own work per callback without Link (a period's
/// <c>BeginPeriod</c> and four k-cycles' channel writes, in this process: no Link here, ever); (2) the Link phase
/// error between two hosts: two <c>cspylive play --sync link</c> metronomes (ksmps 64 and 100) on one headless jackd,
/// all inside a private network namespace made for the run (<c>unshare -n</c>, loopback only; needs root), recorded
/// together by jack_rec; p50/p99 of the onset differences. Writes the <c>beat-clock</c> section of BENCHMARKS.md.
/// </summary>
internal static class BeatClockBenchmark
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var costNs = ClockCost();
        Console.WriteLine($"clock without Link: {costNs:F0} ns a period");
        var (p50, p99, max, clicks, error) = PhaseError(seconds);
        if (error is not null)
        {
            Console.Error.WriteLine(error);
            return 1;
        }
        Console.WriteLine($"Link phase error over {clicks} clicks: p50 {p50:F3} ms, p99 {p99:F3} ms, max {max:F3} ms");
        BenchmarksFile.WriteSection("beat-clock", $"""
            ## Beat clock (issue 16)

            `dotnet run -c Release --project bench/CsPyLive.Bench -- beat-clock {seconds}` (as root: it makes a network namespace)

            | measure | value |
            |---|---|
            | clock work per callback, `--sync none` (period start + 4 k-cycles' 5 channel writes, 256 frames, ksmps 64) | {costNs:F0} ns |
            | clock work per callback, `--sync link` (clock read, host-time filter, `CaptureAudio`, 4 k-cycles; `LinkSessionTests`, no channel writes) | ~1.7 us |
            | Link phase error between two cspylive hosts (onsets of two metronomes, ksmps 64 and 100, on one jackd, {clicks} clicks at 137 BPM): p50 | {p50:F3} ms |
            | the same, p99 / max | {p99:F3} / {max:F3} ms |

            {BenchmarksFile.Machine()}. Both hosts share one JACK server (dummy driver, 256 frames), so what differs between
            them is the Link clock read at each callback (filtered by `HostTimeFilter`) and each one's k-cycle grid.
            """);
        return 0;
    }

    private static double ClockCost()
    {
        var engine = new Csound.Engine();
        engine.CompileCsdText("""
            <CsoundSynthesizer>
            <CsOptions>
            -n
            </CsOptions>
            <CsInstruments>
            sr = 48000
            ksmps = 64
            nchnls = 2
            0dbfs = 1
            instr 1
            endin
            </CsInstruments>
            <CsScore>
            f0 1
            </CsScore>
            </CsoundSynthesizer>
            """);
        engine.Start();
        var clock = new BeatClock(new SyncConfig(), 48000, engine);
        const int periods = 200_000;
        for (var i = 0; i < 1000; i++) Period(clock, i * 256L);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < periods; i++) Period(clock, i * 256L);
        var ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / periods;
        engine.Dispose();
        return ns;
    }

    private static void Period(BeatClock clock, long frame)
    {
        clock.BeginPeriod(frame);
        for (var k = 0; k < 256; k += 64) clock.BeforeKCycle(frame + k);
    }

    private static (double P50, double P99, double Max, int Clicks, string? Error) PhaseError(int seconds)
    {
        var dir = Directory.CreateTempSubdirectory("cspylive-beat-clock-");
        try
        {
            foreach (var ksmps in new[] { 64, 100 })
                File.WriteAllText(Path.Combine(dir.FullName, $"m{ksmps}.csd"), Metronome(ksmps));
            File.WriteAllText(Path.Combine(dir.FullName, "patch.yaml"), "sync:\n  tempo: 137\n");
            var cspylive = Path.Combine(BenchmarksFile.RepoRoot(), "artifacts", "native", "cspylive");
            if (!File.Exists(cspylive)) return (0, 0, 0, 0, "build the native cspylive first: scripts/build.sh native");
            var wav = Path.Combine(dir.FullName, "both.wav");
            var script = $$"""
                set -e
                ip link set lo up
                export JACK_DEFAULT_SERVER=beatclock$$ JACK_NO_START_SERVER=1
                jackd --no-realtime -n $JACK_DEFAULT_SERVER -d dummy -r 48000 -p 256 >/dev/null 2>&1 &
                jack_wait -w -t 10 >/dev/null
                {{cspylive}} play {{dir.FullName}}/m64.csd --audio jack --jack-name m1 --no-connect --sync link --duration {{seconds + 10}} </dev/null >/dev/null 2>&1 &
                {{cspylive}} play {{dir.FullName}}/m100.csd --audio jack --jack-name m2 --no-connect --sync link --duration {{seconds + 10}} </dev/null >/dev/null 2>&1 &
                sleep 4
                jack_rec -f {{wav}} -d {{seconds}} m1:out_1 m2:out_1 >/dev/null
                kill $(jobs -p) 2>/dev/null || true
                wait 2>/dev/null || true
                """;
            var info = new ProcessStartInfo("unshare", ["-n", "--", "bash", "-c", script]) { RedirectStandardError = true, UseShellExecute = false };
            using (var p = Process.Start(info)!)
            {
                var err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (!File.Exists(wav)) return (0, 0, 0, 0, "the run made no recording (root needed for unshare -n): " + err);
            }
            var (a, b) = Onsets(wav);
            var perBeat = 60 * 48000 / 137.0;
            var ms = a.Select(t => b.Count == 0 ? double.MaxValue : b.Min(u => Math.Abs(u - t))).Where(e => e < perBeat / 2)
                .Select(e => e * 1000.0 / 48000).Order().ToList();
            if (ms.Count < 10) return (0, 0, 0, 0, $"only {ms.Count} clicks matched ({a.Count} and {b.Count} recorded)");
            return (ms[ms.Count / 2], ms[Math.Min(ms.Count - 1, (int)(ms.Count * 0.99))], ms[^1], ms.Count, null);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The tests' metronome (tests/CsPyLive.Tests/Sync/CsPyLiveOnLink.cs); patch.yaml starts the session at 137 BPM.</summary>
    private static string Metronome(int ksmps) => $$"""
        <CsoundSynthesizer>
        <CsInstruments>
        sr = 48000
        ksmps = {{ksmps}}
        nchnls = 2
        0dbfs = 1
        instr 1
          kbeat chnget "beat"
          ktempo chnget "tempo"
          aclick = 0
          klast init -1e9
          if ktempo > 0 then
            kspb = 60 * sr / ktempo
            kn = (klast < -1e8 ? ceil(kbeat - 0.5 / kspb) : klast + 1)
            kat = floor((kn - kbeat) * kspb + 0.5)
            if kat < ksmps then
              vaset 1, max(kat, 0), aclick
              klast = kn
            endif
          endif
          outs aclick, aclick
        endin
        </CsInstruments>
        <CsScore>
        i1 0 600
        </CsScore>
        </CsoundSynthesizer>
        """;

    /// <summary>The frames where each channel of a 16-bit jack_rec file rises above half scale.</summary>
    private static (List<long>, List<long>) Onsets(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var data = bytes.AsSpan().IndexOf("data"u8) + 8; // jack_rec writes 16-bit stereo
        var a = new List<long>();
        var b = new List<long>();
        for (long f = 0, i = data; i + 3 < bytes.Length; f++, i += 4)
        {
            if (BitConverter.ToInt16(bytes, (int)i) > 16384 && (a.Count == 0 || f - a[^1] > 100)) a.Add(f);
            if (BitConverter.ToInt16(bytes, (int)i + 2) > 16384 && (b.Count == 0 || f - b[^1] > 100)) b.Add(f);
        }
        return (a, b);
    }
}
