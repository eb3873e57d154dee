using System.Text.RegularExpressions;
using CsPyLive.Csound;

namespace CsPyLive.Live;

/// <summary>
/// The show's messages as plain lines for a log or a pipe: Csound's per-note chatter (<c>new alloc for instr</c>,
/// <c>rtevent</c> and section time lines) hidden unless verbose, and a message repeated line after line printed
/// once, then "(×N)" when something else comes or a second has passed. Warnings and errors are never hidden.
/// </summary>
/// <remarks>Threads: <see cref="Write"/> and <see cref="Flush"/> on the show's control thread (the one that drains the
/// engine's messages), plus the occasional line from another thread (a typed command): one lock.</remarks>
public sealed partial class PlainLog(Action<MessageKind, string> print, bool verbose = false)
{
    private readonly object gate = new();
    private string? last;
    private MessageKind lastKind;
    private int repeats;
    private long lastAt;
    private long hidden;

    /// <summary>Chatter lines hidden so far.</summary>
    public long Hidden => Interlocked.Read(ref hidden);

    /// <summary>Whether a line is what Csound prints for every note or score section (hidden unless verbose); <paramref name="kind"/> does not matter.</summary>
    public static bool IsChatter(MessageKind kind, string line)
    {
        // Whatever kind Csound gives them (it sends "new alloc" through its error channel): these are never news.
        if (line.StartsWith("WARNING: Library libpy.so omitted", StringComparison.Ordinal)) return true; // we omit it: our opcodes replace it
        var t = (line.Contains('\x1b') ? TerminalCodes().Replace(line, "") : line).TrimStart();
        return t.StartsWith("new alloc for instr", StringComparison.Ordinal) || t.StartsWith("rtevent:", StringComparison.Ordinal)
            || (t.StartsWith("B ", StringComparison.Ordinal) && t.Contains(" TT ", StringComparison.Ordinal)); // "B  0.000 ..  4.000 T  4.000 TT ..."
    }

    /// <summary>Csound wraps some messages in terminal colour codes.</summary>
    [GeneratedRegex("\x1b\\[[0-9;]*m")]
    private static partial Regex TerminalCodes();

    public void Write(MessageKind kind, string line)
    {
        if (!verbose && IsChatter(kind, line))
        {
            Interlocked.Increment(ref hidden);
            return;
        }
        lock (gate)
        {
            if (line == last && kind == lastKind && line.Trim().Length > 0)
            {
                repeats++;
                return;
            }
            SayRepeats();
            print(kind, line);
            last = line;
            lastKind = kind;
            lastAt = Environment.TickCount64;
        }
    }

    /// <summary>Says how often the last line came again, once a second at most while it keeps coming. Control thread, often.</summary>
    public void Flush()
    {
        lock (gate)
        {
            if (repeats > 0 && Environment.TickCount64 - lastAt >= 1000)
            {
                SayRepeats();
                lastAt = Environment.TickCount64;
            }
        }
    }

    private void SayRepeats()
    {
        if (repeats == 0) return;
        print(lastKind, $"  (×{repeats + 1})");
        repeats = 0;
        last = null; // the next one is printed again, then counted from there
    }
}
