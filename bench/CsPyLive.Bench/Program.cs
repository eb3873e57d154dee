using CsPyLive.Bench;

// End-to-end measurements. Each mode compares ours against a reference side by side, in one run, as ratios.
// Run: dotnet run -c Release --project bench/CsPyLive.Bench -- <mode> [options]
//   render [seconds=300] [rounds=5]      cspylive render vs csound -f -o (writes its BENCHMARKS.md section)
//   pycall [seconds=20] [--rss-calls N]  ours vs stock libpy.so per pycall1
//   gil [seconds=5]                      how long the performing thread waits for the GIL
//   reload [reloads=30]                  hot-reload stall and save-to-live of a 1,000-line module
//   osc-throughput [seconds=10]          OSC messages/s on loopback; callback times with and without a flood
//   midi-jitter [seconds=20]             JACK MIDI onset jitter: cspylive --midi-in jack vs csound -+rtmidi=jack
//   midi-latency [seconds=10]            JACK MIDI note-on to first sample: cspylive vs csound -+rtmidi=jack
//   portaudio-overhead [seconds=20]      PortAudio through JACK against our JACK backend: audio-thread CPU a period
//   startup [rounds=11]                  native vs JIT build vs csound: short and 60 s renders, startup_ms, RSS
//   beat-clock [seconds=30]              beat clock cost a callback; Link phase error between two cspylive (as root: unshare -n)
//   midi-clock [rounds=3]                MIDI clock out of one cspylive into another (--sync midi): tempo error, settle time
//   dashboard [minutes=10]               the live view against --no-tui, played at once: GC, max callback, xruns
//   soak [minutes=10] [--no-write]       patches/tablet under MIDI, 2,000 OSC/s and saves: GC, RSS, xruns, stuck notes
var modes = new Dictionary<string, Func<string[], int>>
{
    ["render"] = RenderBenchmark.Run,
    ["pycall"] = PyCallBenchmark.Run,
    ["gil"] = GilWaitBenchmark.Run,
    ["reload"] = ReloadBenchmark.Run,
    ["jack-overhead"] = JackOverheadBenchmark.Run,
    ["osc-throughput"] = OscThroughputBenchmark.Run,
    ["midi-jitter"] = MidiJitterBenchmark.Run,
    ["midi-latency"] = MidiLatencyBenchmark.Run,
    ["portaudio-overhead"] = PortAudioOverheadBenchmark.Run,
    ["soak"] = SoakBenchmark.Run,
    ["startup"] = StartupBenchmark.Run,
    ["dashboard"] = DashboardBenchmark.Run,
    ["beat-clock"] = BeatClockBenchmark.Run,
    ["midi-clock"] = MidiClockBenchmark.Run,
};
if (args.Length == 0 || !modes.TryGetValue(args[0], out var mode))
{
    Console.Error.WriteLine("usage: CsPyLive.Bench <" + string.Join('|', modes.Keys) + "> [options]");
    return 2;
}
return mode(args[1..]);
