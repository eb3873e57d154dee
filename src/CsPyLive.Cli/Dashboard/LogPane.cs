using CsPyLive.Csound;
using CsPyLive.Live;

namespace CsPyLive.Cli.Dashboard;

/// <summary>
/// The dashboard's log: Csound's and Python's messages, newest last, with per-note chatter (<c>new alloc</c>,
/// <c>rtevent</c>) hidden unless <c>--verbose</c> (<see cref="PlainLog.IsChatter"/>) and a line that repeats shown
/// once with "×N". Written by the show's log thread, read by the dashboard's; a lock between those two only.
/// </summary>
internal sealed class LogPane(bool verbose, int capacity = 200)
{
    public readonly record struct Line(MessageKind Kind, string Text, int Count);

    private readonly Line[] lines = new Line[capacity];
    private int count;
    private int next;

    public void Write(MessageKind kind, string text)
    {
        if (!verbose && PlainLog.IsChatter(kind, text)) return;
        text = ConsoleLog.Plain(text).TrimEnd();
        if (text.Contains('\n'))
        {
            foreach (var part in text.Split('\n')) Write(kind, part); // a row each, as in plain mode
            return;
        }
        if (text.Length == 0) return;
        lock (lines)
        {
            var last = (next - 1 + capacity) % capacity;
            if (count > 0 && lines[last].Text == text && lines[last].Kind == kind)
            {
                lines[last] = lines[last] with { Count = lines[last].Count + 1 };
                return;
            }
            lines[next] = new Line(kind, text, 1);
            next = (next + 1) % capacity;
            count = Math.Min(count + 1, capacity);
        }
    }

    /// <summary>Copies the newest lines, oldest first, into <paramref name="into"/>; returns how many.</summary>
    public int Newest(Span<Line> into)
    {
        lock (lines)
        {
            var n = Math.Min(into.Length, count);
            for (var i = 0; i < n; i++) into[i] = lines[(next - n + i + capacity * 2) % capacity];
            return n;
        }
    }
}
