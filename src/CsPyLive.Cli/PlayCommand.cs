using System.CommandLine;
using CsPyLive.Live;

namespace CsPyLive.Cli;

/// <summary><c>cspylive play</c>: performs a patch in real time; Ctrl+C, SIGTERM or SIGHUP stops it in order, a second one at once.</summary>
internal static class PlayCommand
{
    public static Command Create(HostConfig host)
    {
        var options = new ShowCommandLine(host);
        var command = options.Play("play", "Play a patch in real time. Saving a .py file of the patch reloads it live; " +
            "type 'rollback' + Enter to undo the last reload, 'panic' + Enter to silence every note.");
        command.SetAction(r => ShowRunner.Perform(options.Request(r), host, Play));
        return command;
    }

    private static int Play(Show show)
    {
        using var stop = new StopSignals("a recording in progress is left unfinished");
        ReadCommands(show);
        var stats = show.Run(stop.Token);
        if (!stats.AudioThreadStuck) return 0;
        ConsoleLog.Fail("the audio thread never came back from its callback (Python blocked in a C call? the watchdog can " +
            "only interrupt Python code); quitting without shutting Csound down");
        return 1;
    }

    /// <summary>Plain-mode commands from standard input: 'rollback' (or 'r') undoes the last reload, 'panic' silences every note.</summary>
    private static void ReadCommands(Show show) => new Thread(() =>
    {
        for (var line = Console.In.ReadLine(); line is not null; line = Console.In.ReadLine())
        {
            var command = line.Trim();
            if (command is "rollback" or "r" && !show.RollBack()) Console.Error.WriteLine("cspylive: nothing to roll back: this patch has no hot reload");
            if (command == "panic" && show.Panic()) Console.Error.WriteLine($"cspylive: panic: {show.PanicDescription}");
        }
    }) { IsBackground = true, Name = "cspylive-commands" }.Start();
}
