using CsPyLive.Audio;
using CsPyLive.Csound;
using CsPyLive.Inputs;
using CsPyLive.Midi;
using CsPyLive.Osc;
using CsPyLive.Python;
using CsPyLive.Python.Opcodes;
using CsPyLive.Python.Reload;
using CsPyLive.Realtime;
using CsPyLive.Sync;
using CsPyLive.Sync.Link;
using System.Text.RegularExpressions;

namespace CsPyLive.Live;

/// <summary>
/// One performance of a patch, and the one place its parts are wired. It builds them in this order and disposes
/// them in the reverse: the engine (compiled and started in the patch's folder), the audio backend (through
/// <see cref="AudioBackendFactory"/>, which says why when <c>auto</c> chose what it chose), the recorder, the inputs
/// (MIDI, OSC) with the one panic, the audio callback that joins them, hot reload and the Python watchdog (which
/// both watch the callback).
/// </summary>
/// <remarks>
/// <para>Lifecycle: <see cref="Stage.Opened"/> (constructed) → <see cref="Stage.Running"/> (<see cref="Run"/>) →
/// <see cref="Stage.Stopped"/> → <see cref="Stage.Disposed"/>. A construction that fails disposes what it built and
/// throws (a CSD that does not compile, a JACK server at another rate, an input that cannot start): Csound's messages
/// have been logged by then. If the audio thread never came back from a callback (Python blocked in a C call), it is
/// inside a k-cycle, holding Csound's lock and perhaps the GIL: <see cref="Dispose"/> then closes the recording and
/// leaves the rest to the process's end, since tearing it down would wait for ever.</para>
/// <para>Threads: construct, <see cref="Run"/> and <see cref="Dispose"/> on one control thread; <see cref="Panic"/>
/// and <see cref="RollBack"/> from any thread.</para>
/// </remarks>
public sealed class Show : IDisposable
{
    public enum Stage { Opened, Running, Stopped, Disposed }

    private readonly ShowOptions options;
    private readonly Action<MessageKind, string> log;
    private readonly string callerDirectory = Directory.GetCurrentDirectory();
    private readonly Engine engine = new();
    private readonly IAudioBackend? backend;
    private readonly Recorder? recorder;
    private readonly List<IShowInput> inputs = [];
    private readonly ShowPanic? panic;
    private readonly List<IAudioThreadObserver> observers = [];
    private readonly ShowCallback? callback;
    private readonly ReloadService? reload;
    private readonly PythonWatchdog? watchdog;
    private long gcBefore;
    private readonly QueueReport? queues;
    private readonly Replay.ShowLogWriter? showLog;
    private readonly MidiRouter? router;
    private MidiLearn? learning;
    private readonly BeatClock? clock;
    private readonly LinkSession? link;
    private readonly MeterTap? meterTap;
    private readonly ShowTimeline? timeline;
    private MidiClockOut? clockOut;

    /// <summary>Builds the show; throws what a user can cause (see the remarks). <paramref name="log"/> gets every message, on this thread.</summary>
    public Show(ShowOptions options, Action<MessageKind, string> log)
    {
        this.options = options;
        this.log = (kind, text) =>
        {
            if (ShowTimeline.IsMarkedError(kind, text))
                timeline?.MarkError(engine.FramesPerformed / Math.Max(1, engine.SampleRate), text);
            log(kind, text);
        };
        if (options.PythonInterpreter is { } python) Python.CPython.PythonDiscovery.Configured = python; // before Python loads
        Directory.SetCurrentDirectory(options.Patch.Directory); // relative paths in the orchestra, as csound run there
        try
        {
            var wantsMidi = options.MidiFromJack || options.MidiFile is not null;
            var csoundMidi = default(CsoundMidiInput);
            var replayMidi = options.Replay?.Entries.Any(e => e.Kind == Replay.LogEntryKind.Midi) == true;
            var seed = ShowLogSeed(options);
            Session.Start(engine, options.Patch, e =>
            {
                if ((wantsMidi && options.Midi.Route == MidiRoute.Csound) || replayMidi) csoundMidi = CsoundMidiInput.Attach(e);
                if (seed is { } s) SeedPython(s);
                if (options.SampleAccurate) e.EnableSampleAccurate();
            });
            engine.Messages.Drain(log);
            var sink = new ActionSink(engine);
            (backend, var why) = AudioBackendFactory.Open(options, (int)engine.SampleRate, engine.OutputChannels, engine.AudioInputChannels, Warn);
            if (why is not null) Say(why);
            engine.SetPeriod(backend.PeriodFrames);
            if (options.RecordingFor(backend) is { } recording)
                recorder = new Recorder(recording, (int)engine.SampleRate, engine.OutputChannels, Audio.Offline.SampleFormat.Float32,
                    options.Duration is { } d ? (long)Math.Round(d * engine.SampleRate) : null, Warn);
            foreach (var missing in InstrumentCheck.Missing(options, File.ReadAllText(options.Patch.CsdPath))) Warn(missing);
            (clock, link) = StartClock();
            panic = new ShowPanic(engine, ShowPanic.OrchestraInstruments(File.ReadAllText(options.Patch.CsdPath), options.PanicKeep), inputs, options.PanicKeep);
            if (wantsMidi)
            {
                IMidiDestination destination = csoundMidi ?? (IMidiDestination)(router = new MidiRouter(sink, options.Midi));
                inputs.Add(options.MidiFile is { } file
                    ? new MidiFileInput(file.Path, file.File, sink, destination, backend.PeriodFrames, Warn)
                    : new MidiInputStream(sink, destination, Warn));
            }
            if (options.OscListen is not null) inputs.Add(new OscInput(engine, sink, options.Osc, options.OscListen, panic, log, clock));
            foreach (var input in inputs) input.Attach(backend);
            callback = new ShowCallback(engine, recorder, inputs, observers, clock);
            meterTap = new MeterTap(callback.Meters);
            timeline = new ShowTimeline(engine.SampleRate, CountNow);
            queues = new QueueReport(engine, recorder, log);
            reload = StartReload(sink);
            if (options.Replay is { } replayed)
            {
                var replay = new Replay.ReplayInput(replayed, engine, sink, reload!.Reloader, options.Patch.Directory);
                replay.Attach(backend);
                inputs.Add(replay);
            }
            if (options.ShowLog is { } logPath) showLog = StartShowLog(logPath, seed);
            if (PythonOpcodes.UsedBy(engine))
                observers.Add(watchdog = options.IsRender
                    ? new PythonWatchdog(new KCycleProgress(callback, engine), PythonWatchdog.RenderBudget(options.PythonBudgetMs), engine.Messages)
                    : new PythonWatchdog(callback, TimeSpan.FromMilliseconds(options.PythonBudgetMs), engine.Messages));
        }
        catch
        {
            engine.Messages.Drain(log, flush: true);
            Dispose();
            throw;
        }
    }

    public Stage State { get; private set; }

    /// <summary>The engine (for tests and benchmarks that look inside a show).</summary>
    public Engine Engine => engine;

    public IAudioBackend Backend => backend!;

    public ShowOptions Options => options;

    /// <summary>The inputs, in the order they were built (for tests and benchmarks).</summary>
    internal IReadOnlyList<IShowInput> Inputs => inputs;

    /// <summary>The show log being played back, when this show is a replay.</summary>
    public Replay.ReplayInput? Replayed => inputs.OfType<Replay.ReplayInput>().FirstOrDefault();

    /// <summary>Times the Python watchdog interrupted code that kept the audio thread past its budget.</summary>
    public long PythonInterrupts => watchdog?.Interrupts ?? 0;

    /// <summary>Hot reload, when the show has it (for tests and benchmarks).</summary>
    internal ReloadService? Reload => reload;

    /// <summary>The beat clock (tempo, beat, bar phase of each k-cycle).</summary>
    public BeatClock Clock => clock!;

    /// <summary>
    /// Sets the beat clock's tempo (on Link, the session's); false for a tempo out of range. Control threads (typed
    /// <c>tempo 133</c>, OSC <c>/tempo</c>).
    /// </summary>
    public bool SetTempo(double bpm) => clock!.SetTempo(bpm);

    /// <summary>The recording's file, if the show records.</summary>
    public string? RecordingFile => recorder?.Path;

    /// <summary>
    /// Levels and load the audio thread publishes, for a live view: a feed of its 20 ms windows from now on, which the
    /// show's control loop fills (<see cref="MeterTap"/>). Any thread.
    /// </summary>
    public MeterFeed SubscribeMeters() => meterTap!.Subscribe();

    /// <summary>The output's mute (a short fade). Any thread.</summary>
    public OutputFade Fade => callback!.Fade;

    /// <summary>The note router, when MIDI comes in through it; null otherwise (no MIDI, or <c>route: csound</c>).</summary>
    public MidiRouter? Router => router;

    /// <summary>A render's progress, a few times a second, for a bar on a terminal; null: a line in the log every few seconds. Set before <see cref="Run"/>.</summary>
    public Action<RenderStatus>? RenderBar { get; set; }

    /// <summary>MIDI learn, when MIDI comes in through the note router (not with <c>route: csound</c>); else null.</summary>
    public MidiLearn? Learning => router is null ? null : learning ??= new MidiLearn(this, router);

    /// <summary>
    /// Plays until the duration has been produced, the score ends, or <paramref name="cancel"/> fires; then closes the
    /// recording and returns what each part measured (written to the stats file too, if one was asked for). Once,
    /// from <see cref="Stage.Opened"/>.
    /// </summary>
    public LiveStats Run(CancellationToken cancel = default)
    {
        if (State != Stage.Opened) throw new InvalidOperationException($"a show runs once; this one is {State}");
        State = Stage.Running;
        if (!options.IsRender) Say(ShowReport.Describe(options, engine, backend!, inputs, recorder));
        var limit = options.Duration is { } d ? (long)Math.Round(d * engine.SampleRate) : long.MaxValue;
        timeline!.FrameLimit = limit;
        gcBefore = CountCollections();
        var progress = options.IsRender ? new RenderProgress(options, engine.SampleRate, Say, bar: RenderBar) : null;
        progress?.Start();
        try
        {
            Control(); // before the first period: a file input sends what the first block needs
            var audio = callback!;
            backend!.Run(audio, wait =>
            {
                if (wait > TimeSpan.Zero) cancel.WaitHandle.WaitOne(wait);
                Control();
                progress?.Tick(audio.FramesPlayed);
                if (!cancel.IsCancellationRequested && !audio.ScoreEnded && audio.FramesPlayed < limit) return true;
                audio.RequestJitCount(); // the audio thread reads its own count at the end of its next callback
                while (audio.JitCountPending && audio.WaitForCallbackGap()) { }
                clockOut?.RequestStop(); // MIDI clock's receivers stop with us
                while (clockOut?.StopPending == true && audio.WaitForCallbackGap()) { }
                return false;
            });
        }
        finally
        {
            State = Stage.Stopped;
        }
        reload?.Tick(wait: options.IsRender ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(2)); // the last reload's outcome, unless the GIL is held for good
        engine.Messages.Drain(log, flush: true);
        showLog?.Close(Math.Min(callback!.FramesPlayed, limit)); // what the recording holds: a duration cuts it
        recorder?.Dispose(); // the recording is whole once the show has stopped, as the stats are
        meterTap!.Pump(timeline);
        var stats = ShowReport.Measure(engine, backend!, callback!, inputs, reload, CountCollections() - gcBefore) with
        {
            Timeline = timeline!.Finish(reload?.Reloader.Records ?? []),
        };
        if (!options.IsRender)
            Say($"played {stats.SecondsPlayed:0.##} s: {stats.Callbacks} callbacks, {stats.Xruns} xruns, callback p99 {stats.P99CallbackMicroseconds} us, max {stats.MaxCallbackMicroseconds} us");
        if (options.Stats is { } path) stats.WriteJson(path);
        return stats;
    }

    /// <summary>
    /// The stats so far, while the show runs (what <see cref="Run"/> returns at the end): for a performer's
    /// <c>status</c> and for soak tests. Control threads; it allocates, so ask now and then, not every tick.
    /// </summary>
    public LiveStats Snapshot() =>
        State == Stage.Running ? ShowReport.Measure(engine, backend!, callback!, inputs, reload, CountCollections() - gcBefore)
            : throw new InvalidOperationException($"a snapshot is taken while the show runs; it is {State}");

    /// <summary>The show's one panic (see <see cref="ShowPanic"/>), at the next k-cycle. Any thread.</summary>
    public bool Panic() => panic!.Panic(ActionSink.Now);

    /// <summary>What a panic does in this show, for the performer.</summary>
    public string PanicDescription => panic!.Description;

    /// <summary>Undoes the last reload at the next k-cycle; false when the show has no hot reload. Any thread.</summary>
    public bool RollBack()
    {
        reload?.Reloader.RollBack();
        return reload is not null;
    }

    /// <summary>
    /// The beat clock, and the Link session it follows when <c>sync.source</c> is link (enabled here: it joins the
    /// network's session now). The channels exist from here on; the Python module reads this clock.
    /// </summary>
    private (BeatClock, LinkSession?) StartClock()
    {
        LinkSession? session = null;
        if (options.Sync.Source == SyncSource.Link)
        {
            try
            {
                session = LinkSession.Create(options.Sync.Tempo);
                if (options.Sync.StartStop) session.StartStopSync = true;
                session.Enable(true);
            }
            catch (Exception e) when (e is DllNotFoundException or InvalidOperationException or EntryPointNotFoundException)
            {
                session?.Dispose();
                throw new InputUnavailableException($"--sync link: {e.Message}", e);
            }
        }
        BeatClock beatClock;
        if (options.Sync.Source == SyncSource.Midi)
        {
            var follower = new MidiClockFollower(engine.SampleRate, backend as Audio.ICycleClock);
            var port = backend!.OpenMidiInput(follower)
                ?? throw new InputUnavailableException($"--sync midi needs the JACK backend: the {backend.Name} backend has no MIDI input");
            beatClock = new BeatClock(options.Sync, engine.SampleRate, engine, follower);
            Say($"beat clock: MIDI clock into {port} (24 ppqn, start/stop/continue, song position); {options.Sync.Tempo:0.##} BPM until it ticks");
        }
        else if (options.Sync.Source == SyncSource.Jack)
        {
            var follower = new JackTransportFollower();
            if (!backend!.FollowTransport(follower))
                throw new InputUnavailableException($"--sync jack needs the JACK backend: the {backend.Name} backend has no transport");
            beatClock = new BeatClock(options.Sync, engine.SampleRate, engine, follower);
            Say("beat clock: JACK transport (BBT from its timebase master; rolling is playing)");
        }
        else
        {
            beatClock = new BeatClock(options.Sync, engine.SampleRate, engine, session);
        }
        if (options.Sync.JackTransportMaster)
        {
            if (!backend!.LeadTransport(new JackTimebaseMaster(beatClock)))
                throw new InputUnavailableException($"--jack-transport-master needs the JACK backend: the {backend.Name} backend has no transport");
            Say("JACK transport: we are its timebase master (bar/beat/tick and tempo of the beat clock)");
        }
        if (options.Sync.MidiClockOut)
        {
            clockOut = new MidiClockOut(beatClock);
            var port = backend!.OpenMidiOutput(clockOut)
                ?? throw new InputUnavailableException($"--midi-clock-out needs the JACK backend: the {backend.Name} backend has no MIDI output");
            Say($"MIDI clock out on {port} (24 ppqn at the beat clock's tempo)");
        }
        beatClock.OutputLatencyFrames = backend!.OutputLatencyFrames;
        engine.KCycleObserver = beatClock;
        CsPyLiveModule.Clock = beatClock;
        if (session is not null)
            Say($"beat clock: Ableton Link, joined at {options.Sync.Tempo:0.##} BPM if no peer is there (quantum {options.Sync.Quantum:0.##}); " +
                $"output latency {beatClock.OutputLatencyFrames} frames");
        else if (!options.IsRender && options.Sync.Source == SyncSource.None && options.Sync with { MidiClockOut = false } != new SyncConfig())
            Say($"beat clock: the host's own at {options.Sync.Tempo:0.##} BPM (quantum {options.Sync.Quantum:0.##})");
        return (beatClock, session);
    }

    /// <summary>The frame a reload goes live at: 0 (as soon as it can), or the next beat or bar after the period being computed.</summary>
    private long ReloadFrame(long notBefore) =>
        options.ReloadAt == QuantizeTo.None ? notBefore : clock!.NextBoundaryFrame(options.ReloadAt, Math.Max(notBefore, 1));

    private ReloadService? StartReload(ActionSink sink)
    {
        if (options.IsRender)
        {
            if (options.Reloads.Count == 0 && options.Replay is null) return null;
            var scripted = new ReloadService(engine, gap: null, options.AutoRollback, log);
            foreach (var r in options.Reloads) scripted.ScheduleAt(ReloadFrame(sink.AtSeconds(r.AtSeconds)), r.File);
            return scripted;
        }
        var modules = Directory.GetFiles(options.Patch.Directory, "*.py");
        if (!PythonOpcodes.UsedBy(engine) && modules.Length == 0) return null;
        var service = new ReloadService(engine, callback, options.AutoRollback, log);
        if (options.ReloadAt != QuantizeTo.None)
        {
            // After the period being computed and the next one: a boundary there is still ahead when the swap is queued.
            service.LiveAt = () => ReloadFrame(engine.FramesPerformed + 2 * backend!.PeriodFrames);
            Say($"a save goes live on the next {options.ReloadAt.ToString().ToLowerInvariant()} of the beat clock");
        }
        foreach (var m in modules) service.Watch(m);
        service.Tick();
        Say($"watching {string.Join(", ", service.WatchedFiles.Select(Path.GetFileName))} for saves");
        return service;
    }

    /// <summary>The control thread's work, about every 10 ms (between blocks offline).</summary>
    private void Control()
    {
        engine.Messages.Drain(log);
        meterTap!.Pump(timeline);
        clock!.OutputLatencyFrames = backend!.OutputLatencyFrames; // JACK's changes as ports are connected
        recorder?.Pump();
        foreach (var input in inputs) input.Tick();
        reload?.Tick();
        queues!.Check();
        showLog?.Pump();
    }

    /// <summary>
    /// The seed of Python's <c>random</c> for a show that is logged (new) or replayed (the log's), when the orchestra
    /// uses Python; null otherwise, and Python seeds itself as it always does.
    /// </summary>
    private static long? ShowLogSeed(ShowOptions options)
    {
        if (options.Replay is { } r) return r.Header.PythonSeed;
        if (options.ShowLog is null || !Regex.IsMatch(File.ReadAllText(options.Patch.CsdPath), @"\bpyl?(init|run|exec|eval|assign|call)")) return null;
        return Random.Shared.NextInt64(1, 1L << 48);
    }

    private static void SeedPython(long seed)
    {
        PythonRuntime.EnsureInitialized();
        PythonRuntime.Run($"import random as _cspylive_random\n_cspylive_random.seed({seed})\ndel _cspylive_random");
    }

    /// <summary>Starts the show log: what the audio thread applies, each reload, and the patch as it is now.</summary>
    private Replay.ShowLogWriter StartShowLog(string path, long? seed)
    {
        var applied = new AppliedLog(engine);
        engine.Applied = applied;
        var osc = inputs.OfType<OscInput>().FirstOrDefault();
        if (osc?.PythonSide is { } python) python.Applied = applied;
        var header = Replay.ShowLogHeader.Describe(options.Patch.Directory, options.Patch.CsdPath, engine.SampleRate, engine.Ksmps,
            engine.OutputChannels, seed, options.PythonBudgetMs, options.SampleAccurate);
        var writer = new Replay.ShowLogWriter(path, header, engine, applied, i => osc?.PythonSide?.NameOf(i) ?? "?");
        if (reload is not null) reload.Reloader.Logged = writer.Reload;
        foreach (var warning in header.MayDiverge) Warn($"--log: a replay may differ from this show: {warning}");
        Say($"logging every input to {path} (cspylive replay {Path.GetFileName(path)} -o take.wav plays it back)");
        return writer;
    }

    /// <summary>The totals the timeline differences each second: the backend's xruns, OSC and MIDI received.</summary>
    private TimelineCounts CountNow()
    {
        long osc = 0, midi = 0;
        foreach (var input in inputs)
        {
            var report = input.Describe();
            if (report.Kind == InputKind.Osc) osc += report.Received;
            else if (report.Kind == InputKind.Midi) midi += report.Received;
        }
        return new TimelineCounts(backend!.Xruns, osc, midi);
    }

    private static long CountCollections() => GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);

    private void Say(string line) => log(MessageKind.Info, "cspylive: " + line);

    /// <summary>The backend's own reports (JACK's supervisor thread): through the engine's log, so one thread prints.</summary>
    private void Warn(string line) => engine.Messages.Write(MessageKind.Warning, System.Text.Encoding.UTF8.GetBytes($"cspylive: {line}\n"));

    /// <summary>Stops what runs and releases everything in reverse order, then gives the caller back its working directory.</summary>
    public void Dispose()
    {
        if (State == Stage.Disposed) return;
        State = Stage.Disposed;
        backend?.Stop();
        if (callback?.CallbackStartedAt is > 0)
        {
            showLog?.Dispose();
            recorder?.Dispose(); // a valid file up to what was played; nothing else can be torn down safely
        }
        else
        {
            watchdog?.Dispose();
            showLog?.Dispose();
            reload?.Dispose();
            for (var i = inputs.Count - 1; i >= 0; i--) inputs[i].Dispose();
            recorder?.Dispose();
            backend?.Dispose();
            if (CsPyLiveModule.Clock == clock) CsPyLiveModule.Clock = null;
            link?.Dispose();
            engine.Dispose();
        }
        try
        {
            Directory.SetCurrentDirectory(callerDirectory);
        }
        catch (DirectoryNotFoundException)
        {
            // The folder the show was started from was deleted while it played: nothing to go back to, and no reason
            // to turn a finished show into an error (a test's temporary folder did this: the show exited 1 at its end).
        }
    }
}
