using ScottPlot;

namespace CsPyLive.Cli.Report;

/// <summary>
/// The picture of a show (ADR 0019): three rows over the show's seconds, sharing one time axis: DSP load (mean and
/// peak, %) with a red triangle where xruns fell; the peak output level (dBFS); OSC and MIDI messages a second. Each
/// reload and error is a vertical line through all three, labelled on top: green dashed for a reload that went live,
/// red for one that did not, orange for other errors.
/// </summary>
internal static class ShowChart
{
    public static void Save(StatsTimeline timeline, string title, string png, int width, int height)
    {
        var rows = timeline.Rows;
        double[] t = [.. rows.Select(r => r.Second + 0.5)]; // a row covers [t, t+1): drawn at its middle
        var chart = new Multiplot();
        chart.AddPlots(3);
        Plot load = chart.GetPlot(0), level = chart.GetPlot(1), inputs = chart.GetPlot(2);

        var mean = load.Add.ScatterLine(t, [.. rows.Select(r => r.LoadMean * 100)]);
        mean.LegendText = "load mean %";
        var peak = load.Add.ScatterLine(t, [.. rows.Select(r => r.LoadPeak * 100)]);
        peak.LegendText = "load peak %";
        var top = Math.Max(100, rows.Max(r => r.LoadPeak * 100)) * 1.5; // the upper third for the markers' labels
        var xruns = rows.Where(r => r.Xruns > 0).ToArray();
        if (xruns.Length > 0)
        {
            double[] xs = [.. xruns.Select(r => r.Second + 0.5)], ys = [.. xruns.Select(r => r.LoadPeak * 100)];
            var marks = load.Add.Markers(xs, ys, MarkerShape.FilledTriangleDown, 12, Colors.Red);
            marks.LegendText = "xruns";
            foreach (var r in xruns)
            {
                var count = load.Add.Text(r.Xruns.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Second + 0.5, r.LoadPeak * 100);
                count.LabelFontColor = Colors.Red;
                count.LabelAlignment = Alignment.LowerCenter;
                count.OffsetY = -10;
            }
        }
        load.Axes.Left.Label.Text = "DSP load %";
        load.Axes.SetLimitsY(0, top);
        load.ShowLegend(Alignment.MiddleLeft);

        double[] db = [.. rows.Select(r => r.PeakDbfs ?? double.NaN)];
        var lvl = level.Add.ScatterLine(t, db, Colors.Purple);
        lvl.LegendText = "peak dBFS";
        var full = level.Add.HorizontalLine(0, 1, Colors.Red.WithAlpha(0.5), LinePattern.Dotted);
        full.LegendText = "0 dBFS";
        var quietest = db.Where(double.IsFinite).DefaultIfEmpty(-60).Min();
        level.Axes.SetLimitsY(Math.Min(-24, Math.Floor(quietest / 6) * 6 - 6), 3);
        level.Axes.Left.Label.Text = "peak dBFS";
        level.ShowLegend(Alignment.LowerLeft);

        var osc = inputs.Add.ScatterLine(t, [.. rows.Select(r => (double)r.Osc)]);
        osc.LegendText = "OSC /s";
        var midi = inputs.Add.ScatterLine(t, [.. rows.Select(r => (double)r.Midi)]);
        midi.LegendText = "MIDI /s";
        inputs.Axes.SetLimitsY(0, Math.Max(10, rows.Max(r => Math.Max(r.Osc, r.Midi))) * 1.15);
        inputs.Axes.Left.Label.Text = "messages /s";
        inputs.Axes.Bottom.Label.Text = $"seconds of the show  ·  {title}";
        inputs.ShowLegend(Alignment.UpperLeft);

        foreach (var plot in (Plot[])[load, level, inputs])
        {
            plot.Axes.SetLimitsX(0, rows[^1].Second + 1);
            plot.Axes.Left.MinimumSize = 70; // the same left margin on every row, so the seconds line up
            var n = 0;
            foreach (var r in rows)
                foreach (var e in r.Events)
                {
                    var line = plot.Add.VerticalLine(r.Second + 0.5, 2, ColorOf(e));
                    if (e.StartsWith("reload ok", StringComparison.Ordinal)) line.LinePattern = LinePattern.Dashed;
                    if (plot != load) continue;
                    // Labels on three staggered levels in the upper third, so neighbours a second apart stay readable.
                    var label = load.Add.Text(e.Length > 44 ? e[..41] + "..." : e, r.Second + 0.5, top * (0.98 - 0.09 * (n++ % 3)));
                    label.LabelFontSize = 11;
                    label.LabelFontColor = Colors.White;
                    label.LabelBackgroundColor = ColorOf(e);
                    label.LabelAlignment = Alignment.UpperLeft;
                    label.LabelPadding = 2;
                }
        }
        chart.SavePng(png, width, height);
    }

    private static Color ColorOf(string marker) =>
        marker.StartsWith("reload ok", StringComparison.Ordinal) ? Colors.Green
        : marker.StartsWith("reload", StringComparison.Ordinal) ? Colors.Red : Colors.DarkOrange;
}
