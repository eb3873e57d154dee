using System.CommandLine;

namespace CsPyLive.Cli.Report;

/// <summary><c>cspylive report stats.json -o show.png</c>: the picture of a show from its <c>--stats</c> timeline.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var stats = new Argument<string>("stats") { Description = "a stats file written by play --stats" };
        var output = new Option<string>("--output", "-o") { Description = "the PNG to write (default: the stats file's name with .png)" };
        var width = new Option<int>("--width") { Description = "width in pixels", DefaultValueFactory = _ => 1600 };
        var height = new Option<int>("--height") { Description = "height in pixels", DefaultValueFactory = _ => 900 };
        var command = new Command("report", "Draw a show's timeline (DSP load, xruns, level, OSC and MIDI rates, reloads and errors) from its --stats file as a PNG.")
            { stats, output, width, height };
        command.SetAction(r =>
        {
            var path = r.GetValue(stats)!;
            var png = r.GetValue(output) ?? Path.ChangeExtension(path, ".png");
            var (w, h) = (r.GetValue(width), r.GetValue(height));
            if (w is < 320 or > 10000 || h is < 240 or > 10000)
            {
                ConsoleLog.Fail($"report: {w}x{h}: width 320-10000 and height 240-10000 pixels");
                return 2;
            }
            StatsTimeline timeline;
            try
            {
                timeline = StatsTimeline.Read(path);
            }
            catch (FormatException e)
            {
                ConsoleLog.Fail("report: " + e.Message);
                return 2;
            }
            var reloads = timeline.Rows.Sum(x => x.Events.Count(e => e.StartsWith("reload", StringComparison.Ordinal)));
            var errors = timeline.Rows.Sum(x => x.Events.Count(e => e.StartsWith("error", StringComparison.Ordinal)));
            var title = $"{Path.GetFileName(path)}: {timeline.Rows.Count} s on {(timeline.Backend.Length == 0 ? "?" : timeline.Backend)}, " +
                $"{timeline.Rows.Sum(x => x.Xruns)} xruns, {reloads} reloads, {errors} errors";
            try
            {
                ShowChart.Save(timeline, title, png, w, h);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException)
            {
                ConsoleLog.Fail($"report: {png}: {e.Message}");
                return 1;
            }
            Console.Error.WriteLine($"cspylive: report: {png} ({w}x{h}): {title}");
            return 0;
        });
        return command;
    }
}
