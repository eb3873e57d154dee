using System.Diagnostics;

namespace CsPyLive.Live;

/// <summary>
/// What a long render says while it runs: at its start, how long the piece is when a MIDI file makes it long (a
/// file whose delta times say 77 hours would otherwise start a silent 77-hour render); then, every few seconds of
/// wall clock, how far it is and how fast it goes. A render that ends within the first report says nothing.
/// </summary>
/// <remarks>Control thread (the rendering thread, between blocks).</remarks>
internal sealed class RenderProgress(ShowOptions options, double sampleRate, Action<string> say, TimeSpan? every = null)
{
    /// <summary>A piece longer than this is announced before it starts.</summary>
    internal static readonly TimeSpan LongPiece = TimeSpan.FromHours(1);
    private readonly TimeSpan every = every ?? TimeSpan.FromSeconds(5);

    private readonly long started = Stopwatch.GetTimestamp();
    private long lastSaid = Stopwatch.GetTimestamp();

    public void Start()
    {
        if (options.MidiFile is { } file && options.Duration is { } d && TimeSpan.FromSeconds(d) > LongPiece && file.File.DurationSeconds + ShowOptions.MidiTailSeconds == d)
            say($"{Path.GetFileName(file.Path)} lasts {Clock(file.File.DurationSeconds)}: the render goes to its end (--duration cuts it; Ctrl+C stops it with a valid file)");
    }

    /// <summary>Between blocks: a line every few seconds.</summary>
    public void Tick(long framesPlayed)
    {
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(lastSaid, now) < every) return;
        lastSaid = now;
        var seconds = framesPlayed / sampleRate;
        var speed = seconds / Stopwatch.GetElapsedTime(started, now).TotalSeconds;
        var of = options.Duration is { } d ? $" of {Clock(d)} ({seconds / d:P0})" : "";
        say($"rendered {Clock(seconds)}{of}, {speed:0.#}x real time");
    }

    private static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
    }
}
