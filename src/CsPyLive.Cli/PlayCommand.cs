using System.CommandLine;
using CsPyLive.Audio;
using CsPyLive.Audio.Jack;
using CsPyLive.Audio.Null;
using CsPyLive.Audio.Offline;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Osc;
using CsPyLive.Midi;
using CsPyLive.Python;
using CsPyLive.Python.Reload;

namespace CsPyLive.Cli;

/// <summary><c>cspylive play</c>: performs a patch in real time on an audio backend.</summary>
internal static class PlayCommand
{
    public static Command Create(HostConfig config)
    {
        var input = new Argument<string>("patch") { Description = "a .csd file or a patch folder" };
        var audio = new Option<string>("--audio") { Description = "audio backend: auto, null (a real-time clock, no device) or jack", DefaultValueFactory = _ => config.Audio.Backend };
        audio.AcceptOnlyFromAmong("auto", "null", "jack");
        var duration = new Option<double?>("--duration", "-d") { Description = "stop cleanly after this many seconds of audio" };
        var record = new Option<string?>("--record") { Description = "write what the engine produced to this WAV file" };
        var stats = new Option<string?>("--stats") { Description = "write measurements as JSON here when the run ends" };
        var period = new Option<int>("--period") { Description = "frames per audio period (null backend; JACK's is the server's)", DefaultValueFactory = _ => config.Audio.Period };
        var jackName = new Option<string>("--jack-name") { Description = "JACK client name", DefaultValueFactory = _ => config.Audio.JackClient };
        var noConnect = new Option<bool>("--no-connect") { Description = "do not connect the JACK ports to the system's playback/capture ports", DefaultValueFactory = _ => !config.Audio.Connect };
        var noTui = new Option<bool>("--no-tui") { Description = "plain log lines (the only mode for now)" };
        var budget = new Option<double>("--python-budget-ms")
        {
            Description = "interrupt Python that keeps one audio callback busy longer than this (an endless loop in a pycall)",
            DefaultValueFactory = _ => config.Python.BudgetMs,
        };
        var noRollback = new Option<bool>("--no-auto-rollback")
        {
            Description = "keep reloaded code even when it raises where the previous version did not",
            DefaultValueFactory = _ => !config.Reload.AutoRollback,
        };
        var osc = OscCommandLine.Create();
        var midiIn = new Option<string>("--midi-in") { Description = "MIDI input: none, or jack (a port <client>:midi_in; needs the JACK backend)", DefaultValueFactory = _ => "none" };
        midiIn.AcceptOnlyFromAmong("none", "jack");
        var command = new Command("play", "Play a patch in real time. Saving a .py file of the patch reloads it live; type 'rollback' + Enter to undo the last reload, 'panic' + Enter to release every MIDI note.")
        {
            input, audio, duration, record, stats, period, jackName, noConnect, noTui, noRollback, budget, midiIn,
        };
        foreach (var option in osc.Options) command.Options.Add(option);
        command.SetAction(r => Run(r.GetValue(input)!, r.GetValue(audio)!, r.GetValue(duration), r.GetValue(record),
            r.GetValue(stats), r.GetValue(period),
            new JackOptions { ClientName = r.GetValue(jackName)!, AutoConnect = !r.GetValue(noConnect), Log = line => ConsoleLog.Print(MessageKind.Warning, "cspylive: " + line) },
            !r.GetValue(noRollback), r.GetValue(budget), r.GetValue(midiIn) == "jack", osc.Parse(r)));
        return command;
    }

    /// <summary>Hot reload when the patch uses Python: watches its .py files and what pyexec ran.</summary>
    private static ReloadService? StartReload(Engine engine, PatchSource patch, bool autoRollback)
    {
        var modules = Directory.GetFiles(patch.Directory, "*.py");
        if (!PythonRuntime.IsInitialized && modules.Length == 0) return null;
        var service = new ReloadService(engine, ConsoleLog.Print);
        service.Reloader.AutoRollback = autoRollback;
        foreach (var m in modules) service.Watch(m);
        service.Tick();
        Console.Error.WriteLine($"cspylive: watching {string.Join(", ", service.WatchedFiles.Select(Path.GetFileName))} for saves");
        return service;
    }

    /// <summary>Plain-mode commands from standard input: 'rollback' undoes the last reload, 'panic' releases every MIDI note.</summary>
    private static void StartCommandReader(Action rollback, Action panic)
    {
        new Thread(() =>
        {
            string? line;
            while ((line = Console.In.ReadLine()) is not null)
            {
                var command = line.Trim();
                if (command is "rollback" or "r") rollback();
                else if (command == "panic") panic();
            }
        }) { IsBackground = true, Name = "cspylive-commands" }.Start();
    }

    private static int Run(string input, string audio, double? duration, string? record, string? statsPath, int period, JackOptions jack,
        bool autoRollback, double pythonBudgetMs, bool midiFromJack, OscOptions? oscOptions)
    {
        if (oscOptions is null) return 2;
        if (midiFromJack && audio == "null") { ConsoleLog.Fail("--midi-in jack needs the JACK backend (--audio jack or auto)"); return 2; }
        if (duration is <= 0) { ConsoleLog.Fail("--duration must be positive"); return 2; }
        if (pythonBudgetMs <= 0) { ConsoleLog.Fail("--python-budget-ms must be positive"); return 2; }
        if (period is < 16 or > Engine.MaxBlockFrames) { ConsoleLog.Fail($"--period must be between 16 and {Engine.MaxBlockFrames}"); return 2; }
        if (!PatchRun.TryResolve(input, out var patch)) return 2;
        if (!PatchRun.TryLoadConfig(patch, out var config)) return 2;
        Action<Engine>? beforeStart = null;
        var makeMidi = midiFromJack ? PatchRun.MidiDestination(config.Midi, out beforeStart) : null;

        record = record is null ? null : Path.GetFullPath(record);
        statsPath = statsPath is null ? null : Path.GetFullPath(statsPath);
        var recordings = Path.GetFullPath("recordings");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true; // the first Ctrl+C stops in order: recording closed, stats written
                cancel.Cancel();
                return;
            }
            // A second one is the way out if stopping itself hangs: the runtime's default, end the process now.
            Console.Error.WriteLine("cspylive: second Ctrl+C: quitting at once (a recording in progress is left unfinished)");
        };
        return PatchRun.WithEngine(patch, engine =>
        {
            var midi = makeMidi?.Invoke(engine);
            var midiInput = midi is null ? null : new MidiInputStream(engine, midi);
            RealtimeCode.Prepare(); // before the ports appear: JACK refuses connections until the client is active
            using var backend = OpenBackend(audio, engine, period, jack with { MidiInput = midiInput });
            if (midi is not null && backend is not JackAudioBackend)
            {
                ConsoleLog.Fail("--midi-in jack needs a running JACK server");
                return 1;
            }
            if (audio == "auto" && backend is NullAudioBackend && record is null)
            {
                // No sound device to hear: keep what was played, so a first run does something one can listen to.
                Directory.CreateDirectory(recordings);
                record = Path.Combine(recordings, $"{Path.GetFileNameWithoutExtension(patch.CsdPath)}-{DateTime.Now:yyyyMMdd-HHmmss}.wav");
            }
            using var recorder = record is null ? null : new Recorder(record, (int)engine.SampleRate, engine.OutputChannels,
                SampleFormat.Float32, duration is { } d ? (long)Math.Round(d * engine.SampleRate) : null);
            Console.Error.WriteLine($"cspylive: playing {patch.CsdPath} on the {backend.Name} backend " +
                $"({backend.SampleRate} Hz, {backend.PeriodFrames} frames a period, ksmps {engine.Ksmps})" +
                (backend is JackAudioBackend j ? $" as JACK client '{j.ClientName}'" : "") +
                (midi is null ? "" : $", MIDI in from {((JackAudioBackend)backend).ClientName}:midi_in to {(midi is MidiRouter ? "the note router" : "Csound's MIDI")}") +
                (recorder is null ? "" : $", recording to {recorder.Path}") + ". Ctrl+C stops.");
            using var reload = StartReload(engine, patch, autoRollback);
            using var oscService = OscCommandLine.Start(engine, patch, oscOptions);
            var host = new LiveHost(engine, backend, recorder, ConsoleLog.Print);
            using var watchdog = PythonRuntime.IsInitialized
                ? new PythonWatchdog(() => host.CallbackStartedAt, TimeSpan.FromMilliseconds(pythonBudgetMs), engine.Messages)
                : null;
            if (watchdog is not null) host.OnFirstCallback = watchdog.NoteAudioThread;
            if (oscService is not null && midi is not null) oscService.Dispatcher.Panicked += midi.Panic;
            if (reload is not null || midi is not null || oscService is not null)
            {
                if (reload is not null) reload.Reloader.Host = host;
                var rollbackRequested = 0;
                StartCommandReader(() => Interlocked.Exchange(ref rollbackRequested, 1), () =>
                {
                    midi?.Panic();
                    oscService?.Dispatcher.Panic();
                    Console.Error.WriteLine(oscService is null ? "cspylive: panic: every MIDI note released" : "cspylive: panic: every note released");
                });
                host.OnControlTick = () =>
                {
                    if (Interlocked.Exchange(ref rollbackRequested, 0) == 1) reload?.Reloader.RollBack();
                    reload?.Tick();
                };
            }
            if (oscService is not null) host.OnControlTick += oscService.Tick;
            var stats = host.Run(duration, cancel.Token);
            if (oscService is not null) stats = stats with { OscReceived = oscService.Received, OscDropped = oscService.Dropped };
            if (midi is not null) stats = stats with { MidiReceived = midi.Received };
            if (reload is not null)
            {
                reload.Tick(wait: TimeSpan.FromSeconds(2)); // the last reload's outcome, unless the GIL is held for good
                stats = stats with { Reloads = reload.Reloader.Records };
            }
            Console.Error.WriteLine($"cspylive: played {stats.SecondsPlayed:0.##} s: {stats.Callbacks} callbacks, {stats.Xruns} xruns, " +
                $"callback p99 {stats.P99CallbackMicroseconds} us, max {stats.MaxCallbackMicroseconds} us");
            if (statsPath is not null) stats.WriteJson(statsPath);
            if (stats.AudioThreadStuck)
            {
                // Csound is inside that k-cycle and holds its own lock: tearing it down would wait for ever.
                recorder?.Dispose();
                ConsoleLog.Fail("the audio thread never came back from its callback (Python blocked in a C call? the " +
                    "watchdog can only interrupt Python code); quitting without shutting Csound down");
                Environment.Exit(1);
            }
            return 0;
        }, beforeStart);
    }

    /// <summary>
    /// The backend <paramref name="audio"/> names. <c>auto</c> is JACK when a server runs (none is started) and the
    /// null clock otherwise; <c>jack</c> without a server throws <see cref="JackServerUnavailableException"/>.
    /// </summary>
    private static IAudioBackend OpenBackend(string audio, Engine engine, int period, JackOptions jack)
    {
        var sr = (int)engine.SampleRate;
        if (audio == "null") return new NullAudioBackend(sr, period, engine.OutputChannels, engine.AudioInputChannels);
        if (audio == "auto" && !JackAudioBackend.LibraryAvailable())
        {
            Console.Error.WriteLine("cspylive: libjack is not installed; using the null backend (a real-time clock, no device)");
            return new NullAudioBackend(sr, period, engine.OutputChannels, engine.AudioInputChannels);
        }
        try
        {
            return new JackAudioBackend(sr, engine.OutputChannels, engine.AudioInputChannels, jack);
        }
        catch (JackServerUnavailableException) when (audio == "auto")
        {
            Console.Error.WriteLine("cspylive: no JACK server is running; using the null backend (a real-time clock, no device)");
            return new NullAudioBackend(sr, period, engine.OutputChannels, engine.AudioInputChannels);
        }
    }
}
