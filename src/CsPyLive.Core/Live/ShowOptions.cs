using System.Globalization;
using CsPyLive.Audio.Jack;
using CsPyLive.Audio.Offline;
using CsPyLive.Config;
using CsPyLive.Csound;
using CsPyLive.Midi;
using CsPyLive.Osc;
using CsPyLive.Sync;

namespace CsPyLive.Live;

/// <summary>What the command line asked for, before merging: null means "not given".</summary>
public sealed record ShowRequest
{
    public required string Patch { get; init; }
    public string? Audio { get; init; }
    public string? Device { get; init; }
    public int? Period { get; init; }
    public string? JackName { get; init; }
    public bool NoConnect { get; init; }
    public double? Duration { get; init; }
    public string? Record { get; init; }
    public string? Stats { get; init; }
    public double? PythonBudgetMs { get; init; }
    public bool NoAutoRollback { get; init; }
    public string? MidiIn { get; init; }
    public int? OscPort { get; init; }
    public int? OscTcpPort { get; init; }
    public string? OscBind { get; init; }
    public string? OscAllow { get; init; }
    public int? OscFeedbackPort { get; init; }
    /// <summary><c>render</c>: the WAV file to write (its presence makes the show a render).</summary>
    public string? Output { get; init; }
    public SampleFormat Format { get; init; } = SampleFormat.Float32;
    /// <summary><c>render --reload SECONDS=FILE.py</c>, as typed.</summary>
    public IReadOnlyList<string> Reloads { get; init; } = [];
    /// <summary><c>render --midi FILE</c>.</summary>
    public string? MidiFile { get; init; }
    public string? ShowLog { get; init; }
    public string? Python { get; init; }
    public bool Verbose { get; init; }
    /// <summary><c>--sync link|none</c>: the beat clock's source (default: patch.yaml's <c>sync.source</c>).</summary>
    public string? Sync { get; init; }
    /// <summary><c>--reload-at beat|bar</c>: a hot reload goes live on the next boundary of the timeline.</summary>
    public string? ReloadAt { get; init; }
    /// <summary>--midi-clock-out: send MIDI clock on the JACK port midi_out.</summary>
    public bool MidiClockOut { get; init; }
    /// <summary>--jack-transport-master: publish the beat clock to JACK's transport as its timebase master.</summary>
    public bool JackTransportMaster { get; init; }
}

/// <summary>A reload scripted at a time of the piece (<c>render --reload</c>).</summary>
public readonly record struct ScriptedReload(double AtSeconds, string File);

/// <summary>A MIDI file to play (<c>render --midi</c>), already read.</summary>
public sealed record MidiFileSource(string Path, StandardMidiFile File);

/// <summary>
/// Everything a <see cref="Show"/> needs, validated once: the command line merged over the patch's <c>patch.yaml</c>
/// merged over the host's <c>config/cspylive.yaml</c>, with paths made absolute. Every problem is a
/// <see cref="ConfigException"/> that names where it came from, the key, and what is allowed.
/// </summary>
public sealed record ShowOptions
{
    public const double MidiTailSeconds = 3;

    public required PatchSource Patch { get; init; }
    /// <summary>auto, null, jack, portaudio, asio, or offline (render).</summary>
    public string Audio { get; init; } = "auto";
    /// <summary>The device <c>--device</c> names (a PortAudio device name or index, an ASIO driver); null: the default.</summary>
    public string? Device { get; init; }
    /// <summary>Frames a period for the clock-driven backends (JACK's is the server's).</summary>
    public int Period { get; init; } = 256;
    public JackOptions Jack { get; init; } = new();
    public double? Duration { get; init; }
    public string? Record { get; init; }
    public string? Stats { get; init; }
    /// <summary>Where <c>auto</c> records when it falls back to a backend nobody hears.</summary>
    public string RecordingsDirectory { get; init; } = Path.GetFullPath("recordings");
    /// <summary>Render's output file and format; null for a live show.</summary>
    public (string Path, SampleFormat Format)? Output { get; init; }
    public double PythonBudgetMs { get; init; } = 25;
    public bool AutoRollback { get; init; } = true;
    public bool MidiFromJack { get; init; }
    public MidiFileSource? MidiFile { get; init; }
    public MidiConfig Midi { get; init; } = new();
    /// <summary>The patch's <c>osc:</c> section (routes, feedback, Python code).</summary>
    public OscConfig Osc { get; init; } = new();
    /// <summary>Where OSC listens; null when no port is given anywhere (no OSC).</summary>
    public OscOptions? OscListen { get; init; }
    public IReadOnlyList<double> PanicKeep { get; init; } = [];
    public IReadOnlyList<ScriptedReload> Reloads { get; init; } = [];
    /// <summary>The Python interpreter to embed (<c>--python</c> or the host config's <c>python.executable</c>), checked; null: found as usual.</summary>
    public string? PythonInterpreter { get; init; }
    /// <summary>
    /// Events start on their own frame inside a k-cycle (Csound's --sample-accurate; ADR 0014): live play, and a replay
    /// of it. A render keeps what the CSD's own options say, so it writes what <c>csound</c> writes.
    /// </summary>
    public bool SampleAccurate { get; init; }
    /// <summary>Csound's per-note messages printed too (<c>--verbose</c>).</summary>
    public bool Verbose { get; init; }
    /// <summary>Where the show log goes (<c>--log</c>): every input as applied, for <c>cspylive replay</c>.</summary>
    public string? ShowLog { get; init; }
    /// <summary>The beat clock: patch.yaml's <c>sync:</c> with <c>--sync</c> over its source.</summary>
    public SyncConfig Sync { get; init; } = new();
    /// <summary>Where a hot reload goes live: at once (<see cref="QuantizeTo.None"/>), or on the next beat or bar.</summary>
    public QuantizeTo ReloadAt { get; init; } = QuantizeTo.None;
    /// <summary>A show log to play back (<c>cspylive replay</c>): a render whose inputs are the log's.</summary>
    public Replay.ShowLogFile? Replay { get; init; }

    public bool IsRender => Output is not null;

    /// <summary>
    /// The file a live show records to: as asked, or, when <c>auto</c> chose a backend nobody hears, a new one in
    /// <see cref="RecordingsDirectory"/>, so a first run on a machine without a sound card gives something to listen to.
    /// </summary>
    public string? RecordingFor(Audio.IAudioBackend backend)
    {
        if (Record is not null || IsRender || Audio != "auto" || backend.IsAudible) return IsRender ? null : Record;
        System.IO.Directory.CreateDirectory(RecordingsDirectory);
        return Path.Combine(RecordingsDirectory, $"{Path.GetFileNameWithoutExtension(Patch.CsdPath)}-{DateTime.Now:yyyyMMdd-HHmmss}.wav");
    }

    /// <summary>Merges and validates; throws <see cref="ConfigException"/>. Control thread (reads patch.yaml and a MIDI file).</summary>
    public static ShowOptions Resolve(ShowRequest r, HostConfig host)
    {
        const string cli = ConfigException.CommandLine;
        PatchSource patch;
        try
        {
            patch = PatchSource.Resolve(r.Patch);
        }
        catch (FileNotFoundException e)
        {
            throw new ConfigException("", e.Message, inner: e);
        }
        var config = PatchConfig.Load(patch.Directory);
        var osc = config.Osc ?? new OscConfig();
        var audio = r.Output is not null ? "offline" : r.Audio ?? host.Audio.Backend;
        if (audio is not ("auto" or "null" or "jack" or "portaudio" or "asio" or "offline"))
            throw new ConfigException("--audio", $"'{audio}' is not a backend (auto, null, jack, portaudio or asio)", cli);
        if (audio == "asio" && !OperatingSystem.IsWindows())
            throw new ConfigException("--audio", "asio needs Windows (ASIO drivers exist only there); here use jack or portaudio", cli);
        if (r.Device is not null && audio is "null" or "offline")
            throw new ConfigException("--device", $"the {audio} backend has no devices (--device goes with --audio portaudio, asio or auto)", cli);
        if (r.Duration is { } d && !(d > 0 && double.IsFinite(d))) throw new ConfigException("--duration", $"must be a positive number of seconds, not {d}", cli);
        if (r.Period is { } p) CheckPeriod("--period", p, cli);
        if (r.PythonBudgetMs is { } b && !(b > 0 && double.IsFinite(b))) throw new ConfigException("--python-budget-ms", $"must be a positive number, not {b}", cli);
        if (r.MidiIn is not (null or "none" or "jack")) throw new ConfigException("--midi-in", $"'{r.MidiIn}' is not a MIDI input (none or jack)", cli);
        var midiFromJack = r.MidiIn == "jack";
        if (midiFromJack && audio == "null") throw new ConfigException("--midi-in", "jack needs the JACK backend (--audio jack or auto)", cli);
        var midiFile = r.MidiFile is null ? null : ReadMidiFile(r.MidiFile);
        var duration = r.Duration ?? (midiFile is null ? null : midiFile.File.DurationSeconds + MidiTailSeconds);
        var sync = r.Sync switch
        {
            null => config.Sync,
            "none" => config.Sync with { Source = SyncSource.None },
            "link" => config.Sync with { Source = SyncSource.Link },
            "midi" => config.Sync with { Source = SyncSource.Midi },
            "jack" => config.Sync with { Source = SyncSource.Jack },
            _ => throw new ConfigException("--sync", $"'{r.Sync}' is not a clock source (link, midi, jack or none)", cli),
        };
        if (r.MidiClockOut) sync = sync with { MidiClockOut = true };
        if (r.JackTransportMaster) sync = sync with { JackTransportMaster = true };
        if (sync.Source is SyncSource.Midi or SyncSource.Jack && r.Output is not null)
            throw new ConfigException(r.Sync is null ? "sync.source" : "--sync", $"{sync.Source.ToString().ToLowerInvariant()} needs a live show (play): a render has no clock to follow", r.Sync is null ? PatchConfig.FileName : cli);
        if ((sync.Source is SyncSource.Midi or SyncSource.Jack || sync.MidiClockOut || sync.JackTransportMaster) && audio is not ("jack" or "auto") && r.Output is null)
            throw new ConfigException(sync.MidiClockOut && sync.Source is not (SyncSource.Midi or SyncSource.Jack) ? "--midi-clock-out" : "--sync",
                "needs the JACK backend (--audio jack or auto)", cli);
        if (r.Output is not null) sync = sync with { MidiClockOut = false, JackTransportMaster = false }; // a render has no ports
        if (sync.JackTransportMaster && sync.Source == SyncSource.Jack)
            throw new ConfigException("--jack-transport-master", "cannot follow JACK's transport and lead it at once (--sync jack)", cli);
        if (sync.Source == SyncSource.Link && r.Output is not null)
            throw new ConfigException(r.Sync is null ? "sync.source" : "--sync", "link needs a live show (play): a render runs faster than the session's clock", r.Sync is null ? PatchConfig.FileName : cli);
        var reloadAt = r.ReloadAt switch
        {
            null or "now" => QuantizeTo.None,
            "beat" => QuantizeTo.Beat,
            "bar" => QuantizeTo.Bar,
            _ => throw new ConfigException("--reload-at", $"'{r.ReloadAt}' is not a boundary (beat, bar or now)", cli),
        };
        var python = CheckPython(r.Python is { } given ? ("--python", given, cli) : host.Python.Executable is { } configured ? ("python.executable", configured, null) : null);
        return new ShowOptions
        {
            Patch = patch,
            Audio = audio,
            Device = r.Device,
            Period = r.Period ?? host.Audio.Period,
            Jack = new JackOptions { ClientName = r.JackName ?? host.Audio.JackClient, AutoConnect = host.Audio.Connect && !r.NoConnect },
            Duration = duration,
            Record = r.Record is null ? null : Path.GetFullPath(r.Record),
            Stats = r.Stats is null ? null : Path.GetFullPath(r.Stats),
            ShowLog = r.ShowLog is null ? null : Path.GetFullPath(r.ShowLog),
            PythonInterpreter = python,
            Verbose = r.Verbose,
            SampleAccurate = r.Output is null,
            Output = r.Output is null ? null : (Path.GetFullPath(r.Output), r.Format),
            PythonBudgetMs = r.PythonBudgetMs ?? host.Python.BudgetMs,
            AutoRollback = host.Reload.AutoRollback && !r.NoAutoRollback,
            MidiFromJack = midiFromJack,
            MidiFile = midiFile,
            Midi = config.Midi,
            Osc = osc,
            OscListen = r.Output is null ? Listen(r, osc) : null,
            PanicKeep = config.PanicKeep,
            Reloads = r.Reloads.Select(ParseReload).ToArray(),
            Sync = sync,
            ReloadAt = reloadAt,
        };
    }

    /// <summary>An interpreter named on the command line or in the host config: it must be a CPython we can embed.</summary>
    private static string? CheckPython((string Key, string Path, string? Origin)? given)
    {
        if (given is not { } g) return null;
        var path = g.Path.StartsWith("~/", StringComparison.Ordinal)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), g.Path[2..]) : System.IO.Path.GetFullPath(g.Path);
        try
        {
            Python.CPython.PythonDiscovery.FromInterpreter(path, g.Key);
        }
        catch (Python.PythonException e)
        {
            throw new ConfigException(g.Key, e.Message[(g.Key.Length + 2)..], g.Origin);
        }
        return path;
    }

    /// <summary>Frames a period: 16 to <see cref="Engine.MaxBlockFrames"/>; throws naming <paramref name="key"/>.</summary>
    internal static void CheckPeriod(string key, int period, string? origin = null)
    {
        if (period is < 16 or > Engine.MaxBlockFrames)
            throw new ConfigException(key, $"must be between 16 and {Engine.MaxBlockFrames}, not {period}", origin);
    }

    /// <summary>Where OSC listens: each option from the command line, else patch.yaml; null when neither gives a port.</summary>
    private static OscOptions? Listen(ShowRequest r, OscConfig osc)
    {
        try
        {
            OscConfig.CheckPort("--osc-port", r.OscPort, min: 0);
            OscConfig.CheckPort("--osc-tcp-port", r.OscTcpPort, min: 0);
            OscConfig.CheckPort("--osc-feedback-port", r.OscFeedbackPort, min: 1);
            var udp = r.OscPort ?? osc.Port;
            var tcp = r.OscTcpPort ?? osc.TcpPort;
            if (udp is null && tcp is null) return null;
            return new OscOptions
            {
                UdpPort = udp,
                TcpPort = tcp,
                Bind = r.OscBind is { } b ? OscConfig.ParseAddress("--osc-bind", b)
                    : osc.Bind is { } c ? OscConfig.ParseAddress("osc.bind", c) : System.Net.IPAddress.Loopback,
                Allow = r.OscAllow is { } a
                    ? a.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x => OscConfig.ParseAddress("--osc-allow", x)).ToArray()
                    : osc.Allow.Select(x => OscConfig.ParseAddress("osc.allow", x)).ToArray(),
                FeedbackPort = r.OscFeedbackPort ?? osc.FeedbackPort,
            };
        }
        catch (ConfigException e) when (e.Key.StartsWith("--", StringComparison.Ordinal))
        {
            throw e.In(ConfigException.CommandLine);
        }
    }

    private static MidiFileSource ReadMidiFile(string path)
    {
        try
        {
            return new MidiFileSource(Path.GetFullPath(path), StandardMidiFile.Read(Path.GetFullPath(path)));
        }
        catch (IOException e)
        {
            throw new ConfigException("--midi", e is MidiFileException ? e.Message : $"{path}: {e.Message}", ConfigException.CommandLine, e);
        }
    }

    private static ScriptedReload ParseReload(string text)
    {
        var eq = text.IndexOf('=');
        if (eq < 1 || !double.TryParse(text[..eq], CultureInfo.InvariantCulture, out var at) || !(at >= 0))
            throw new ConfigException("--reload", $"'{text}': expected SECONDS=FILE.py", ConfigException.CommandLine);
        var file = Path.GetFullPath(text[(eq + 1)..]);
        if (!File.Exists(file)) throw new ConfigException("--reload", $"'{text}': no such file {file}", ConfigException.CommandLine);
        return new ScriptedReload(at, file);
    }
}
