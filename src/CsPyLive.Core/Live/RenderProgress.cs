using System.Diagnostics;

namespace CsPyLive.Live;

/// <summary>
/// What a long render says while it runs: at its start, how long the piece is when a MIDI file makes it long (a
/// file whose delta times say 77 hours would otherwise start a silent 77-hour render); then, every few seconds of
/// wall clock, how far it is and how fast it goes. A render that ends within the first report says nothing.
/// </summary>
/// <remarks>Control thread (the rendering thread, between blocks).</remarks>
internal sealed class RenderProgress(ShowOptions options, double sampleRate, Action<string> say, TimeSpan? every = null, Action<RenderStatus>? bar = null)
{
    /// <summary>A piece longer than this is announced before it starts.</summary>
    internal static readonly TimeSpan LongPiece = TimeSpan.FromHours(1);
    private readonly TimeSpan every = every ?? TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BarEvery = TimeSpan.FromMilliseconds(200);

    private readonly long started = Stopwatch.GetTimestamp();
    private long lastSaid = Stopwatch.GetTimestamp();
    private double? end;

    public void Start()
    {
        if (options.MidiFile is { } file && options.Duration is { } d && TimeSpan.FromSeconds(d) > LongPiece && file.File.DurationSeconds + ShowOptions.MidiTailSeconds == d)
            say($"{Path.GetFileName(file.Path)} lasts {Clock(file.File.DurationSeconds)}: the render goes to its end (--duration cuts it; Ctrl+C stops it with a valid file)");
        double? length = null;
        try { length = ScoreLength.Of(File.ReadAllText(options.Patch.CsdPath)); } catch (IOException) { }
        if (options.Duration is null && options.MidiFile is null && length is double.PositiveInfinity)
            say("the score has no end (no score, an empty one, or f0 z): the render runs until Ctrl+C; --duration sets its length");
        end = options.Duration ?? (length is double.PositiveInfinity ? null : length);
    }

    /// <summary>Between blocks: on a terminal the bar (a few times a second), else a line every few seconds.</summary>
    public void Tick(long framesPlayed)
    {
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(lastSaid, now) < (bar is null ? every : BarEvery)) return;
        lastSaid = now;
        var seconds = framesPlayed / sampleRate;
        var speed = seconds / Stopwatch.GetElapsedTime(started, now).TotalSeconds;
        if (bar is not null)
        {
            bar(new RenderStatus(seconds, end, speed));
            return;
        }
        var of = options.Duration is { } d ? $" of {Clock(d)} ({seconds / d:P0})" : "";
        say($"rendered {Clock(seconds)}{of}, {speed:0.#}x real time");
    }

    internal static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
    }
}

/// <summary>Where a render is: score seconds done, the end if known, and the speed as a multiple of real time.</summary>
public readonly record struct RenderStatus(double Seconds, double? End, double Speed)
{
    /// <summary>One line: <c>[#######.......]  1:02 / 2:00  52%  ×31.4 real time  0:02 left</c>.</summary>
    public string Line(int width)
    {
        var speed = $"×{Speed:0.#} real time";
        if (End is not { } end || end <= 0) return $"rendered {RenderProgress.Clock(Seconds)}  {speed}";
        var fraction = Math.Clamp(Seconds / end, 0, 1);
        var left = Speed > 0 ? (end - Seconds) / Speed : 0;
        var text = $"  {RenderProgress.Clock(Seconds)} / {RenderProgress.Clock(end)}  {fraction * 100:0}%  {speed}  {RenderProgress.Clock(left)} left";
        var cells = Math.Max(10, Math.Min(40, width - text.Length - 3));
        var done = (int)Math.Round(fraction * cells);
        return "[" + new string('#', done) + new string('.', cells - done) + "]" + text;
    }
}
