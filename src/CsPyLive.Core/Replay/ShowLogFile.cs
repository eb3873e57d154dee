using System.Text.Json;

namespace CsPyLive.Replay;

/// <summary>One line of a show log after the header, as a replay applies it.</summary>
public sealed record LogEntry(long Frame, LogEntryKind Kind)
{
    public char EventType { get; init; }
    public double[] PFields { get; init; } = [];
    public string Name { get; init; } = "";
    public double Value { get; init; }
    public byte NumberKind { get; init; }
    public string Text { get; init; } = "";
    public byte[] Bytes { get; init; } = [];
}

public enum LogEntryKind { Event, Channel, TurnOff, PyNumber, PyString, PyExec, Midi, Reload, Rollback }

/// <summary>A show log read back (<see cref="ShowLogWriter"/> wrote it; docs/show-log.md describes it).</summary>
public sealed class ShowLogFile
{
    public required ShowLogHeader Header { get; init; }
    /// <summary>In the order a replay applies them: by frame; at one frame reloads and rollbacks first, then the rest as logged.</summary>
    public required IReadOnlyList<LogEntry> Entries { get; init; }
    /// <summary>The frames the show performed, or null when the log was cut short (a crash): then up to the last entry.</summary>
    public long? EndFrame { get; init; }
    /// <summary>Entries the audio thread could not hand over in time: the replay diverges from the first of them.</summary>
    public long Lost { get; init; }
    public long FirstLostFrame { get; init; } = -1;
    /// <summary>A last line cut in the middle (the show crashed while writing it); skipped.</summary>
    public bool Truncated { get; init; }

    /// <summary>Reads a log; throws <see cref="InvalidDataException"/> naming the line for anything that is not one.</summary>
    public static ShowLogFile Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new InvalidDataException($"{path}: empty, not a show log");
        ShowLogHeader header;
        try
        {
            header = JsonSerializer.Deserialize(lines[0], ShowLogJson.Default.ShowLogHeader)
                ?? throw new InvalidDataException($"{path}: line 1: not a show log header");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line 1: not a show log header ({e.Message})", e);
        }
        if (header.Cslog != ShowLogWriter.Version)
            throw new InvalidDataException($"{path}: show log version {header.Cslog}; this cspylive reads version {ShowLogWriter.Version}");
        var entries = new List<(LogEntry Entry, int Order)>();
        long? end = null;
        long lost = 0, firstLost = -1;
        var truncated = false;
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(lines[i]);
            }
            catch (JsonException e)
            {
                if (i == lines.Length - 1) { truncated = true; break; } // the line being written when the show stopped
                throw new InvalidDataException($"{path}: line {i + 1}: {e.Message}", e);
            }
            using (doc)
            {
                var o = doc.RootElement;
                if (o.TryGetProperty("end", out var endFrame))
                {
                    end = endFrame.GetInt64();
                    lost = o.GetProperty("lost").GetInt64();
                    continue;
                }
                var frame = o.GetProperty("f").GetInt64();
                if (o.TryGetProperty("lost", out var l))
                {
                    if (firstLost < 0) firstLost = frame;
                    lost = l.GetInt64();
                    continue;
                }
                var entry = Parse(o, frame) ?? throw new InvalidDataException($"{path}: line {i + 1}: an entry of no kind this version knows");
                entries.Add((entry, entry.Kind is LogEntryKind.Reload or LogEntryKind.Rollback ? 0 : 1));
            }
        }
        // Stable: at one frame, swaps (which ran before the k-cycle's actions) first, then the rest in logged order.
        var ordered = entries.Select((x, n) => (x.Entry, x.Order, n)).OrderBy(x => x.Entry.Frame).ThenBy(x => x.Order).ThenBy(x => x.n)
            .Select(x => x.Entry).ToList();
        return new ShowLogFile { Header = header, Entries = ordered, EndFrame = end, Lost = lost, FirstLostFrame = firstLost, Truncated = truncated };
    }

    private static LogEntry? Parse(JsonElement o, long frame)
    {
        foreach (var p in o.EnumerateObject())
        {
            switch (p.Name)
            {
                case "chn": return new LogEntry(frame, LogEntryKind.Channel) { Name = p.Value.GetString()!, Value = o.GetProperty("v").GetDouble() };
                case "off": return new LogEntry(frame, LogEntryKind.TurnOff) { Value = p.Value.GetDouble() };
                case "py":
                    return new LogEntry(frame, LogEntryKind.PyNumber)
                    {
                        Name = p.Value.GetString()!, Value = o.GetProperty("v").GetDouble(),
                        NumberKind = o.GetProperty("k").GetString() switch { "i" => 1, "b" => 2, _ => 0 },
                    };
                case "pys": return new LogEntry(frame, LogEntryKind.PyString) { Name = p.Value.GetString()!, Text = o.GetProperty("s").GetString()! };
                case "exec": return new LogEntry(frame, LogEntryKind.PyExec) { Text = p.Value.GetString()! };
                case "midi": return new LogEntry(frame, LogEntryKind.Midi) { Bytes = p.Value.EnumerateArray().Select(b => b.GetByte()).ToArray() };
                case "reload": return new LogEntry(frame, LogEntryKind.Reload) { Name = p.Value.GetString()!, Bytes = o.GetProperty("code").GetBytesFromBase64() };
                case "rollback": return new LogEntry(frame, LogEntryKind.Rollback);
                case "f": continue;
                default:
                    if (p.Name.Length == 1 && p.Value.ValueKind == JsonValueKind.Array)
                        return new LogEntry(frame, LogEntryKind.Event) { EventType = p.Name[0], PFields = p.Value.EnumerateArray().Select(x => x.GetDouble()).ToArray() };
                    continue;
            }
        }
        return null;
    }
}
