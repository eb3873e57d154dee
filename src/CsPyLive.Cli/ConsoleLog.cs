using CsPyLive.Csound;

namespace CsPyLive.Cli;

/// <summary>Prints engine messages (Csound's and Python's, in order) to standard error, as the csound CLI does.</summary>
internal static class ConsoleLog
{
    public static void Print(MessageKind kind, string line)
    {
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
