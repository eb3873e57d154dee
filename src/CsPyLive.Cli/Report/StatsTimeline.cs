using System.Text.Json;

namespace CsPyLive.Cli.Report;

/// <summary>The <c>"timeline"</c> of a stats file (<c>play --stats</c>), read back for <c>cspylive report</c>.</summary>
internal sealed record StatsTimeline(string Backend, double SecondsPlayed, long Xruns, IReadOnlyList<StatsTimeline.Row> Rows)
{
    public sealed record Row(int Second, double LoadMean, double LoadPeak, long Xruns, double? PeakDbfs, long Osc, long Midi, IReadOnlyList<string> Events);

    /// <summary>Reads <paramref name="path"/>; throws <see cref="FormatException"/> with a message for the user when it cannot.</summary>
    public static StatsTimeline Read(string path)
    {
        if (!File.Exists(path)) throw new FormatException($"{path}: no such file (cspylive play ... --stats {Path.GetFileName(path)} writes one)");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("timeline", out var timeline) || timeline.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{path}: no \"timeline\" in it: a stats file of a cspylive from before the timeline, or not a stats file");
            var rows = new List<Row>();
            foreach (var r in timeline.EnumerateArray())
            {
                var peak = r.GetProperty("peak_dbfs");
                rows.Add(new Row(r.GetProperty("t").GetInt32(), r.GetProperty("load_mean").GetDouble(), r.GetProperty("load_peak").GetDouble(),
                    r.GetProperty("xruns").GetInt64(), peak.ValueKind == JsonValueKind.Null ? null : peak.GetDouble(),
                    r.GetProperty("osc").GetInt64(), r.GetProperty("midi").GetInt64(),
                    [.. r.GetProperty("events").EnumerateArray().Select(e => e.GetString() ?? "")]));
            }
            if (rows.Count == 0) throw new FormatException($"{path}: the timeline is empty (the show played less than a window of audio)");
            string Text(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            double Number(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
            return new StatsTimeline(Text("backend"), Number("seconds_played"), (long)Number("xruns"), rows);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not JSON ({e.Message})", e);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"{path}: a timeline row is not what cspylive writes ({e.Message})", e);
        }
    }
}
