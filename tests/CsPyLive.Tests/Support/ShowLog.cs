using System.Diagnostics;
using CsPyLive.Csound;

namespace CsPyLive.Tests.Support;

/// <summary>What a show in this process said, collected for assertions (the show logs from its control thread).</summary>
public sealed class ShowLog
{
    private readonly List<(MessageKind Kind, string Line)> lines = [];

    public void Write(MessageKind kind, string line)
    {
        lock (lines) lines.Add((kind, line));
    }

    public string Text
    {
        get { lock (lines) return string.Join('\n', lines.Select(l => l.Line)); }
    }

    /// <summary>Waits for a line containing <paramref name="text"/>; false after <paramref name="timeout"/>.</summary>
    public bool WaitFor(string text, TimeSpan timeout) => Wait.Until(() => Text.Contains(text), timeout);
}

/// <summary>Waiting on a condition another thread makes true, instead of sleeping for a guessed time.</summary>
public static class Wait
{
    public static bool Until(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout) return condition();
            Thread.Sleep(5);
        }
        return true;
    }
}
