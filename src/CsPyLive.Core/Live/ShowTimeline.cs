using System.Text.RegularExpressions;
using CsPyLive.Python.Reload;

namespace CsPyLive.Live;

/// <summary>
/// A show second by second, for <c>--stats</c> and <c>cspylive report</c>: from the audio thread's 20 ms meter windows
/// (handed over by <see cref="MeterTap"/>) the load and the peak level of each second of audio; at each second's end the
/// xruns, OSC and MIDI counts since the last; and markers: each reload (placed by its own performance time) and each
/// error logged.
/// </summary>
/// <remarks>
/// <see cref="Add"/> and <see cref="Finish"/> on the control thread; <see cref="MarkError"/> from any thread. A second
/// closes with the window that reaches its end, so a row may hold one window (20 ms) of the next second. Rows are
/// small: a 3-hour show keeps about 10 800.
/// </remarks>
public sealed partial class ShowTimeline(double sampleRate, Func<TimelineCounts> counts)
{
    /// <summary>Error markers kept a second; more are summed up in one.</summary>
    internal const int ErrorsPerSecond = 3;
    private readonly long secondFrames = Math.Max(1, (long)Math.Round(sampleRate));
    private readonly List<Closed> rows = [];
    private readonly List<(double At, string Text)> errors = [];
    private readonly Lock marking = new();
    private TimelineCounts before;
    private long frames;
    private bool open;
    private double busyTicks, realTicks, longest, peak;

    private readonly record struct Closed(double LoadMean, double LoadPeak, double Peak, TimelineCounts Counts);

    /// <summary>Frames of audio after which windows are ignored (a duration's end: what the recording holds).</summary>
    public long FrameLimit { get; set; } = long.MaxValue;

    /// <summary>Control thread: one meter window, in the order the audio thread made them.</summary>
    public void Add(in MeterWindow window)
    {
        if (frames >= FrameLimit) return;
        open = true;
        busyTicks += window.BusyTicks;
        realTicks += OutputMeters.TicksOf(window.Frames, (int)secondFrames);
        if (window.PeriodTicks > 0) longest = Math.Max(longest, (double)window.LongestTicks / window.PeriodTicks);
        for (var c = 0; c < window.Channels; c++) peak = Math.Max(peak, window.Peak[c]);
        frames += window.Frames;
        if (frames >= (rows.Count + 1) * secondFrames) Close();
    }

    /// <summary>
    /// Whether a logged line is an error worth a marker: Csound sends much through its error channel (per-note chatter,
    /// section lines), so only its <c>INIT ERROR</c>/<c>PERF ERROR</c>/<c>error:</c> lines and the last line of a
    /// Python traceback (<c>NameError: ...</c>) count; reloads are marked by their records instead.
    /// </summary>
    public static bool IsMarkedError(CsPyLive.Csound.MessageKind kind, string line)
    {
        if (kind != CsPyLive.Csound.MessageKind.Error || PlainLog.IsChatter(kind, line)) return false;
        var t = line.Trim();
        if (t.StartsWith("reload:", StringComparison.Ordinal) || t.StartsWith("cspylive: reload", StringComparison.Ordinal)) return false;
        return t.Contains("ERROR", StringComparison.Ordinal) || t.StartsWith("error", StringComparison.OrdinalIgnoreCase)
            || PythonErrorLine().IsMatch(t);
    }

    [GeneratedRegex(@"^[A-Za-z_][\w.]*(Error|Exception|Interrupt)\b")]
    private static partial Regex PythonErrorLine();

    /// <summary>Any thread: an error logged now, at <paramref name="atSeconds"/> of the show.</summary>
    public void MarkError(double atSeconds, string message)
    {
        var line = message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        if (line.StartsWith("cspylive: ", StringComparison.Ordinal)) line = line["cspylive: ".Length..];
        if (line.Length > 120) line = line[..117] + "...";
        lock (marking) errors.Add((atSeconds, "error: " + line));
    }

    /// <summary>Control thread, once the show has stopped: the rows, the last (partial) second closed, with markers.</summary>
    public IReadOnlyList<TimelineRow> Finish(IReadOnlyList<ReloadRecord> reloads)
    {
        if (open) Close();
        var events = new List<string>[rows.Count];
        for (var i = 0; i < events.Length; i++) events[i] = [];
        int Row(double at) => Math.Clamp((int)Math.Floor(at), 0, rows.Count - 1);
        if (rows.Count > 0)
        {
            foreach (var r in reloads) events[Row(r.AtSeconds)].Add(ReloadMarker(r));
            (double At, string Text)[] logged;
            lock (marking) logged = [.. errors];
            var errorsIn = new int[rows.Count];
            foreach (var (at, text) in logged)
            {
                var row = Row(at);
                if (++errorsIn[row] <= ErrorsPerSecond) events[row].Add(text);
            }
            for (var i = 0; i < rows.Count; i++)
                if (errorsIn[i] > ErrorsPerSecond) events[i].Add($"error: {errorsIn[i] - ErrorsPerSecond} more");
        }
        return [.. rows.Select((r, i) => new TimelineRow(i, r.LoadMean, r.LoadPeak, r.Counts.Xruns, r.Peak > 0 ? OutputMeters.Decibels(r.Peak) : null,
            r.Counts.Osc, r.Counts.Midi, events[i]))];
    }

    /// <summary><c>reload ok tablet.py</c>; <c>reload error tablet.py:12: SyntaxError: invalid syntax</c>; <c>reload rolled back tablet.py (why)</c>.</summary>
    public static string ReloadMarker(ReloadRecord record)
    {
        var file = Path.GetFileName(record.File);
        if (record.Ok) return $"reload ok {file}";
        if (record.RolledBack is { } why) return $"reload rolled back {file} ({why})";
        return $"reload error {ErrorAt(file, record.Error ?? "")}";
    }

    /// <summary>
    /// <c>file:line: message</c> from a compile error (already so) or from a traceback (its last frame in the file, and
    /// its last line).
    /// </summary>
    internal static string ErrorAt(string file, string error)
    {
        var lines = error.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length == 0) return file;
        if (Regex.IsMatch(lines[0], @"^[^\s:]+\.py:\d+:")) return lines[0].Trim();
        var frames = Regex.Matches(error, @"File ""([^""]+)"", line (\d+)");
        var frame = frames.LastOrDefault(m => Path.GetFileName(m.Groups[1].Value) == file) ?? frames.LastOrDefault();
        var last = lines[^1].Trim();
        return frame is null ? $"{file}: {last}" : $"{Path.GetFileName(frame.Groups[1].Value)}:{frame.Groups[2].Value}: {last}";
    }

    private void Close()
    {
        var now = counts();
        rows.Add(new Closed(realTicks > 0 ? busyTicks / realTicks : 0, longest, peak,
            new TimelineCounts(now.Xruns - before.Xruns, now.Osc - before.Osc, now.Midi - before.Midi)));
        before = now;
        busyTicks = realTicks = longest = peak = 0;
        open = false;
    }
}
