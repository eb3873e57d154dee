using System.Text.RegularExpressions;
using CsPyLive.Csound;

namespace CsPyLive.Cli;

/// <summary>Prints engine messages (Csound's and Python's, in order) to standard error, as the csound CLI does.</summary>
internal static partial class ConsoleLog
{
    /// <summary>Csound wraps some messages in terminal colour codes; they are noise in a log file or a pipe.</summary>
    [GeneratedRegex("\x1b\\[[0-9;]*m")]
    private static partial Regex TerminalCodes();

    /// <summary>The line without Csound's colour codes.</summary>
    public static string Plain(string line) => line.Contains('\x1b') ? TerminalCodes().Replace(line, "") : line;

    private static readonly object Terminal = new();
    private static int statusWidth;

    /// <summary>
    /// Draws <paramref name="line"/> as the status line (a render's bar): on the terminal's last line, rewritten in
    /// place; a message printed meanwhile takes the line first and the next status is drawn under it.
    /// </summary>
    public static void Status(string line)
    {
        lock (Terminal)
        {
            Console.Error.Write("\r" + line.PadRight(statusWidth));
            statusWidth = line.Length;
        }
    }

    /// <summary>Takes the status line away (the render is over).</summary>
    public static void ClearStatus()
    {
        lock (Terminal) ClearStatusLocked();
    }

    private static void ClearStatusLocked()
    {
        if (statusWidth == 0) return;
        Console.Error.Write("\r" + new string(' ', statusWidth) + "\r");
        statusWidth = 0;
    }

    public static void Print(MessageKind kind, string line)
    {
        lock (Terminal)
        {
            ClearStatusLocked();
            PrintLocked(kind, line);
        }
    }

    private static void PrintLocked(MessageKind kind, string line)
    {
        line = Plain(line);
        var color = kind switch
        {
            MessageKind.Error => ConsoleColor.Red,
            MessageKind.Warning => ConsoleColor.Yellow,
            _ => (ConsoleColor?)null,
        };
        if (color is { } c && !Console.IsErrorRedirected) Console.ForegroundColor = c;
        Console.Error.WriteLine(line);
        if (color is not null && !Console.IsErrorRedirected) Console.ResetColor();
    }

    public static void Fail(string message)
    {
        if (!Console.IsErrorRedirected) Console.ForegroundColor = ConsoleColor.Red;
        Console.Error.WriteLine("cspylive: " + message);
        if (!Console.IsErrorRedirected) Console.ResetColor();
    }
}
