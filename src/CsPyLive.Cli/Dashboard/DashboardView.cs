using System.Diagnostics;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Python.Reload;

namespace CsPyLive.Cli.Dashboard;

/// <summary>
/// Lays the dashboard out on a <see cref="Screen"/>: a title bar (patch, backend, sr, period, ksmps, latency,
/// elapsed), meters per output channel, load and xruns, score and recording, inputs, Python's files, the log, and a
/// key line. Works from 80 × 24 up; the log takes what rows are left. Draws with literals and numbers only: a frame
/// allocates nothing (the once-a-second snapshot aside).
/// </summary>
internal sealed class DashboardView(Screen screen, Show show, LevelMeters levels, LogPane log, InstanceCounter? instances = null)
{
    private const int MeterFrom = -60; // dBFS at the meter's left end
    private readonly string patch = Path.GetFileName(Path.GetDirectoryName(show.Options.Patch.CsdPath) is { Length: > 0 } d && File.Exists(Path.Combine(d, "patch.yaml")) ? d : show.Options.Patch.CsdPath);
    private readonly LogPane.Line[] lines = new LogPane.Line[64];
    private LiveStats? stats;
    private long oscBefore;
    private long oscPerSecond;
    private string[] watched = []; // file names (what records and rows say), taken once a second
    private long xruns;
    private long lastXrunAt;
    private string said = "";
    private long saidAt;
    private string recording = "";
    private long recordingBytes;

    public void Snapshot(LiveStats now)
    {
        oscPerSecond = stats is null ? 0 : now.OscReceived - oscBefore;
        oscBefore = now.OscReceived;
        if (show.Reload is { } reload && reload.WatchedFiles.Count != watched.Length) watched = [.. reload.WatchedFiles.Select(Path.GetFileName).Order()!];
        stats = now;
        if (show.RecordingFile is { } file)
        {
            recording = Path.GetFileName(file);
            try { recordingBytes = new FileInfo(file).Length; } catch (IOException) { }
        }
    }

    public void Say(string text)
    {
        said = text;
        saidAt = Stopwatch.GetTimestamp();
    }

    public void Draw(int width, int height, TimeSpan elapsed, bool help, bool askingToQuit, string? prompt = null)
    {
        screen.Begin(width, height);
        var backend = show.Backend;
        var sr = show.Engine.SampleRate;
        // title
        screen.Bar(0, Style.Title);
        var x = screen.Put(1, 0, "cspylive  ", Style.Title);
        x = screen.Put(x, 0, patch, Style.Title);
        x = screen.Put(x + 2, 0, backend.Name, Style.Title);
        x = screen.Put(x + 1, 0, sr, "0", Style.Title);
        x = screen.Put(x, 0, " Hz  period ", Style.Title);
        x = screen.Put(x, 0, backend.PeriodFrames, Style.Title);
        x = screen.Put(x, 0, " (", Style.Title);
        x = screen.Put(x, 0, backend.PeriodFrames * 1000.0 / sr, "0.0", Style.Title);
        x = screen.Put(x, 0, " ms)  ksmps ", Style.Title);
        x = screen.Put(x, 0, show.Engine.Ksmps, Style.Title);
        x = screen.Put(x, 0, "  latency ", Style.Title);
        screen.Put(screen.Put(x, 0, backend.OutputLatencyFrames * 1000.0 / sr, "0.0", Style.Title), 0, " ms", Style.Title);
        Clock(width - 10, 0, elapsed, Style.Title);

        var y = 2;
        if (help) { Help(y); return; }
        // levels
        var meterWidth = Math.Max(10, width - 58);
        for (var c = 0; c < levels.Channels && y < height - 10; c++, y++)
        {
            x = screen.Put(1, y, "out ", Style.Dim);
            x = screen.Put(x, y, c + 1, Style.Dim);
            Meter(7, y, meterWidth, levels.Peak(c), levels.Held(c));
            x = 8 + meterWidth + 1;
            x = Db(x, y, levels.Peak(c), "peak");
            x = Db(x + 1, y, levels.Rms(c), "rms");
            x = Db(x + 1, y, levels.Held(c), "hold");
            x = screen.Put(x + 1, y, "clips ", Style.Dim);
            screen.Put(x, y, levels.Clips(c), levels.Clips(c) > 0 ? Style.Red : Style.Normal);
        }
        if (levels.Channels == 0) screen.Put(1, y++, "levels: waiting for the first callbacks", Style.Dim);
        y++;
        // load
        x = screen.Put(1, y, "DSP load ", Style.Bold);
        x = screen.Put(x, y, levels.LoadMean * 100, "0.0", Load(levels.LoadMean));
        x = screen.Put(x, y, "% mean, ");
        x = screen.Put(x, y, levels.LoadPeak * 100, "0.0", Load(levels.LoadPeak));
        x = screen.Put(x, y, "% peak (last second)   xruns ");
        var nowXruns = backend.Xruns;
        if (nowXruns != xruns) { xruns = nowXruns; lastXrunAt = Stopwatch.GetTimestamp(); }
        x = screen.Put(x, y, xruns, xruns > 0 ? Style.Yellow : Style.Normal);
        if (lastXrunAt != 0)
        {
            x = screen.Put(x, y, ", last ");
            x = screen.Put(x, y, (long)Stopwatch.GetElapsedTime(lastXrunAt).TotalSeconds, Style.Yellow);
            screen.Put(x, y, " s ago", Style.Yellow);
        }
        y++;
        // score and recording
        x = screen.Put(1, y, "score ", Style.Bold);
        x = screen.Put(x, y, show.Engine.FramesPerformed / sr, "0.0");
        x = screen.Put(x, y, " s   ");
        if (recording.Length > 0)
        {
            x = screen.Put(x, y, "recording ");
            x = screen.Put(x, y, recording);
            x = screen.Put(x + 1, y, recordingBytes / 1048576.0, "0.0");
            x = screen.Put(x, y, " MB");
        }
        else x = screen.Put(x, y, "not recording", Style.Dim);
        if (show.Fade.Muted) screen.Put(x + 3, y, "MUTED", Style.Red);
        y++;
        if (instances is not null)
        {
            // instances per instrument that has any: "instr 1×3  10×1  reverb×1"
            x = screen.Put(1, y, "instr ", Style.Bold);
            var none = true;
            for (var i = 0; i < instances.Count; i++)
            {
                var n = instances.Active(i);
                if (n <= 0) continue;
                none = false;
                x = screen.Put(x, y, instances.Name(i));
                x = screen.Put(x, y, "×", Style.Dim);
                x = screen.Put(x, y, n) + 2;
            }
            if (none) screen.Put(x, y, "none playing", Style.Dim);
            y++;
        }
        // inputs
        if (stats is { } s)
        {
            x = screen.Put(1, y, "MIDI ", Style.Bold);
            x = screen.Put(x, y, s.MidiReceived);
            x = screen.Put(x, y, " received, ");
            x = screen.Put(x, y, s.MidiNotesSounding);
            x = screen.Put(x, y, " notes sounding");
            if (show.Router is { } router)
            {
                var note = router.LastNote;
                if (note.Count > 0)
                {
                    x = screen.Put(x, y, ", last ch ", Style.Dim);
                    x = screen.Put(x, y, note.Channel);
                    x = screen.Put(x, y, note.Velocity > 0 ? " note " : " off ", Style.Dim);
                    x = screen.Put(x, y, note.Note);
                    if (note.Velocity > 0) x = screen.Put(screen.Put(x, y, " vel ", Style.Dim), y, note.Velocity);
                }
                var cc = router.LastControl;
                if (cc.Count > 0) x = screen.Put(screen.Put(x, y, ", CC ", Style.Dim), y, cc.Controller);
                if (router.PedalsDown > 0) x = screen.Put(x, y, ", pedal down", Style.Yellow);
            }
            y++;
            x = screen.Put(1, y, "OSC  ", Style.Bold);
            x = screen.Put(x, y, s.OscReceived);
            x = screen.Put(x, y, " received (");
            x = screen.Put(x, y, oscPerSecond);
            x = screen.Put(x, y, "/s), ");
            x = screen.Put(x, y, s.OscDropped, s.OscDropped > 0 ? Style.Yellow : Style.Normal);
            screen.Put(x, y, " dropped");
            screen.Put(screen.Put(width - 22, y, "GC ", Style.Dim), y, s.GcCollections, Style.Dim);
            y++;
            y = Python(y, s.Reloads, height);
        }
        {
            var clock = show.Clock;
            x = screen.Put(1, y, "tempo ", Style.Bold);
            x = screen.Put(x, y, clock.Tempo, "0.0");
            x = screen.Put(x, y, " BPM  beat ");
            x = screen.Put(x, y, clock.Beat, "0.00");
            screen.Put(x + 2, y, clock.Source switch { Sync.SyncSource.Link => "(Ableton Link)", Sync.SyncSource.Midi => "(MIDI clock)", Sync.SyncSource.Jack => "(JACK transport)", _ => "(own clock)" }, Style.Dim);
            y++;
        }
        y++;
        // log: what rows are left, above the key line
        var rows = Math.Min(lines.Length, height - 2 - y);
        if (rows > 0)
        {
            screen.Put(1, y - 1 < 2 ? y : y - 1, "", Style.Dim);
            var n = log.Newest(lines.AsSpan(0, rows));
            for (var i = 0; i < n; i++)
            {
                var line = lines[i];
                var style = line.Kind switch { MessageKind.Error => Style.Red, MessageKind.Warning => Style.Yellow, _ => Style.Normal };
                x = screen.Put(1, y + i, line.Text, style);
                if (line.Count > 1)
                {
                    x = screen.Put(x + 1, y + i, "(×", Style.Dim);
                    screen.Put(screen.Put(x, y + i, line.Count, Style.Dim), y + i, ")", Style.Dim);
                }
            }
        }
        // keys and what the last one did
        screen.Bar(height - 1, Style.Title);
        if (askingToQuit) screen.Put(1, height - 1, "quit the show? y = yes, any other key = no", Style.Title);
        else if (prompt is not null) screen.Put(1, height - 1, prompt, Style.Title);
        else
        {
            x = screen.Put(1, height - 1, "p panic  r rollback  m mute  l learn  q quit  ? help", Style.Title);
            if (said.Length > 0 && Stopwatch.GetElapsedTime(saidAt) < TimeSpan.FromSeconds(5)) screen.Put(x + 3, height - 1, said, Style.Title);
        }
    }

    /// <summary>Each watched file: watching, live (save to live), the error with its line, or rolled back; and the watchdog.</summary>
    private int Python(int y, IReadOnlyList<ReloadRecord> reloads, int height)
    {
        foreach (var file in watched)
        {
            if (y >= height - 6) break;
            ReloadRecord? latest = null;
            for (var i = reloads.Count - 1; i >= 0 && latest is null; i--)
                if (IsFile(reloads[i].File, file)) latest = reloads[i];
            var x = screen.Put(1, y, "python ", Style.Bold);
            x = screen.Put(x, y, file);
            if (latest is null) screen.Put(x + 2, y, "watching for saves", Style.Dim);
            else if (latest.RolledBack is not null) screen.Put(x + 2, y, "rolled back", Style.Yellow);
            else if (latest.Ok)
            {
                x = screen.Put(x + 2, y, "live", Style.Green);
                x = screen.Put(x, y, " (save to live ");
                x = screen.Put(x, y, latest.SaveToLiveMilliseconds, "0");
                screen.Put(x, y, " ms)");
            }
            else screen.Put(x + 2, y, latest.Error ?? "error", Style.Red);
            y++;
        }
        var interrupts = show.PythonInterrupts;
        if (interrupts > 0)
        {
            var x = screen.Put(1, y, "python watchdog: ", Style.Bold);
            screen.Put(screen.Put(x, y, interrupts, Style.Yellow), y, " interrupt(s) of code past its budget", Style.Yellow);
            y++;
        }
        return y;
    }

    /// <summary>Whether a record's path (or bare name) is the file <paramref name="name"/>, without allocating a name per frame.</summary>
    private static bool IsFile(string path, string name) =>
        path.EndsWith(name, StringComparison.Ordinal) && (path.Length == name.Length || path[^(name.Length + 1)] is '/' or '\\');

    private void Help(int y)
    {
        ReadOnlySpan<string> text =
        [
            "p   panic: every note off, MIDI notes released (the instruments patch.yaml keeps play on)",
            "r   rollback: the previous Python code goes live again at the next k-cycle",
            "m   mute / unmute: a 50 ms fade of the output, never a click (the recording hears it too)",
            "l   MIDI learn: type a control channel's name, Enter, move a controller: routed now and written to patch.yaml",
            "q   quit: asks first; Ctrl+C stops at once, as in plain mode",
            "?   this help (any key closes it)",
            "",
            "Meters: peak since the last frame, RMS, peak held 2 s, samples at or past 0 dBFS.",
            "DSP load: time in the callback over real time (mean) and the longest callback over its period (peak).",
            "Plain lines instead: --no-tui, or when the output is not a terminal.",
        ];
        foreach (var line in text) screen.Put(2, y++, line);
    }

    private int Db(int x, int y, double level, string label)
    {
        var db = OutputMeters.Decibels(level);
        x = screen.Put(x, y, label, Style.Dim);
        var text = x + 1;
        screen.Put(text, y, Math.Max(db, -99), "0.0", db >= 0 ? Style.Red : Style.Normal);
        return text + 6;
    }

    private void Meter(int x, int y, int width, double peak, double held)
    {
        static int Cells(double level, int width) => (int)Math.Round(Math.Clamp((OutputMeters.Decibels(level) - MeterFrom) / -MeterFrom, 0, 1) * width);
        var lit = Cells(peak, width);
        var hold = Math.Min(width - 1, Cells(held, width));
        for (var i = 0; i < width; i++)
        {
            var zone = i >= width * 0.9 ? Style.Red : i >= width * 0.75 ? Style.Yellow : Style.Green;
            screen.Put(x + i, y, i < lit ? "█" : i == hold && held > 0 ? "|" : "·", i < lit || i == hold ? zone : Style.Dim);
        }
    }

    private static Style Load(double fraction) => fraction >= 0.8 ? Style.Red : fraction >= 0.5 ? Style.Yellow : Style.Normal;

    private void Clock(int x, int y, TimeSpan t, Style style)
    {
        var total = (long)t.TotalSeconds;
        x = screen.Put(x, y, total / 3600, style);
        x = screen.Put(x, y, ":", style);
        x = screen.Put(x, y, total / 60 % 60, "00", style);
        x = screen.Put(x, y, ":", style);
        screen.Put(x, y, total % 60, "00", style);
    }
}
