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
            "type 'rollback' + Enter to undo the last reload, 'panic' + Enter to silence every note, 'status' + Enter to see how the show is doing, 'tempo BPM' + Enter to set the beat clock's tempo. " +
            "On a terminal it shows a live view instead (keys: p panic, r rollback, m mute, l MIDI learn, q quit, ? help); --no-tui keeps plain lines.");
        command.SetAction(r =>
        {
            if (!Dashboard.Dashboard.Wanted(r.GetValue(options.NoTui))) return ShowRunner.Perform(options.Request(r), host, Play);
            var pane = new Dashboard.LogPane(r.GetValue(options.Verbose));
            return ShowRunner.Perform(options.Request(r), host, show => PlayOnDashboard(show, pane), pane.Write);
        });
        return command;
    }

    /// <summary>The full-screen view (ADR 0017); when it closes, the log's last lines stay on the terminal.</summary>
    private static int PlayOnDashboard(Show show, Dashboard.LogPane pane)
    {
        using var stop = new StopSignals("a recording in progress is left unfinished");
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        LiveStats stats;
        using (new Dashboard.Dashboard(show, pane, quit))
            stats = show.Run(quit.Token);
        var last = new Dashboard.LogPane.Line[12];
        var n = pane.Newest(last);
        for (var i = 0; i < n; i++) ConsoleLog.Print(last[i].Kind, last[i].Count > 1 ? $"{last[i].Text} (×{last[i].Count})" : last[i].Text);
        return Finish(stats);
    }

    private static int Play(Show show)
    {
        using var stop = new StopSignals("a recording in progress is left unfinished");
        ReadCommands(show);
        // Plain mode: how the show is doing, every 10 s, in the log
        using var status = new Timer(_ => Console.Error.WriteLine("cspylive: status: " + Status(show)), null, StatusInterval, StatusInterval);
        return Finish(show.Run(stop.Token));
    }

    private static int Finish(LiveStats stats)
    {
        if (!stats.AudioThreadStuck) return 0;
        ConsoleLog.Fail("the audio thread never came back from its callback (Python blocked in a C call? the watchdog can " +
            "only interrupt Python code); quitting without shutting Csound down");
        return 1;
    }

    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(10);

    /// <summary>One line of how the show is doing: "played 12.3 s, 2306 callbacks, 0 xruns, max 412 us, 0 GC, RSS 251.3 MB, ...".</summary>
    internal static string Status(Show show)
    {
        LiveStats s;
        try { s = show.Snapshot(); } catch (InvalidOperationException e) { return e.Message; }
        var reloads = s.Reloads.Count(r => r.Ok);
        return $"played {s.SecondsPlayed:0.0} s, {s.Callbacks} callbacks, {s.Xruns} xruns, max {s.MaxCallbackMicroseconds:0} us, " +
            $"{s.GcCollections} GC ({GC.GetTotalAllocatedBytes() / 1048576.0:0.0} MB allocated), RSS {s.ResidentMegabytes:0.0} MB, OSC {s.OscReceived} received {s.OscDropped} dropped, " +
            $"MIDI {s.MidiReceived} received {s.MidiNotesSounding} notes sounding, reloads {reloads} live {s.Reloads.Count - reloads} not, " +
            Clock(show);
    }

    /// <summary>"tempo 120.0 BPM, beat 33.25 (Link, 2 peers)".</summary>
    internal static string Clock(Show show)
    {
        var c = show.Clock;
        var source = c.Link is { } link ? $"Link, {link.PeerCount} peer{(link.PeerCount == 1 ? "" : "s")}" : "own clock";
        return $"tempo {c.Tempo:0.0#} BPM, beat {c.Beat:0.00} ({source})";
    }

    /// <summary>'tempo 133' sets the beat clock's tempo (on Link, the session's); 'tempo' alone says where the clock is.</summary>
    private static void Tempo(Show show, string argument)
    {
        if (argument.Length == 0)
            Console.Error.WriteLine("cspylive: tempo: " + Clock(show));
        else if (double.TryParse(argument, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var bpm) && show.SetTempo(bpm))
            Console.Error.WriteLine($"cspylive: tempo: {bpm:0.0#} BPM");
        else
            Console.Error.WriteLine($"cspylive: tempo: '{argument}' is not a tempo (a number of BPM, {Sync.SyncConfig.MinTempo}..{Sync.SyncConfig.MaxTempo})");
    }

    /// <summary>Plain-mode commands from standard input: 'rollback' (or 'r') undoes the last reload, 'panic' silences every note, 'status' says how the show is doing, 'tempo BPM' sets the tempo.</summary>
    private static void ReadCommands(Show show) => new Thread(() =>
    {
        for (var line = Console.In.ReadLine(); line is not null; line = Console.In.ReadLine())
        {
            var command = line.Trim();
            if (command is "rollback" or "r" && !show.RollBack()) Console.Error.WriteLine("cspylive: nothing to roll back: this patch has no hot reload");
            if (command == "panic" && show.Panic()) Console.Error.WriteLine($"cspylive: panic: {show.PanicDescription}");
            if (command == "status") Console.Error.WriteLine("cspylive: status: " + Status(show));
            if (command.StartsWith("tempo", StringComparison.Ordinal)) Tempo(show, command[5..].Trim());
        }
    }) { IsBackground = true, Name = "cspylive-commands" }.Start();
}
