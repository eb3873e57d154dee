using System.Diagnostics;

namespace CsPyLive.Python.Reload;

/// <summary>
/// Automatic rollback's judgement: after a good swap, if Python called by the orchestra raises within
/// <see cref="Window"/> where it had not raised in the same span before the swap, the new code is to blame.
/// Control thread only.
/// </summary>
internal sealed class RegressionWatch(TimeSpan window)
{
    private Watched? watching;

    private sealed record Watched(long AppliedAt, long ErrorsAtSwap, bool RaisedBefore, string Path);

    public TimeSpan Window { get; } = window;

    /// <summary>Starts watching a swap applied at <paramref name="appliedAt"/> (Stopwatch ticks).</summary>
    public void Watch(string path, long appliedAt, long errorsAtSwap, long lastErrorAtSwap)
    {
        var raisedBefore = lastErrorAtSwap != 0 && appliedAt - lastErrorAtSwap < Ticks(Window);
        watching = new Watched(appliedAt, errorsAtSwap, raisedBefore, path);
    }

    /// <summary>The file whose swap now raises where the old code did not (to roll back), or null; the watch ends either way once decided.</summary>
    public string? Regressed()
    {
        if (watching is not { } w) return null;
        if (PythonErrors.Count - w.ErrorsAtSwap > 0 && !w.RaisedBefore)
        {
            watching = null;
            return w.Path;
        }
        if (Stopwatch.GetTimestamp() - w.AppliedAt > Ticks(Window)) watching = null;
        return null;
    }

    private static long Ticks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);
}
