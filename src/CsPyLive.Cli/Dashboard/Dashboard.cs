using System.Diagnostics;
using CsPyLive.Csound;
using CsPyLive.Live;

namespace CsPyLive.Cli.Dashboard;

/// <summary>
/// The full-screen live view of <c>play</c> on a terminal (ADR 0017): levels, load, score, inputs, Python and the
/// log, redrawn about 20 times a second from what the audio thread publishes (<see cref="OutputMeters"/>, counters)
/// without locks or allocation on its side; keys for panic, rollback, mute, quit and help. Its own thread; the keys
/// have theirs.
/// </summary>
internal sealed class Dashboard : IDisposable
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(50);
    private readonly Show show;
    private readonly LogPane log;
    private readonly CancellationTokenSource quit;
    private readonly Screen screen = new(Console.OpenStandardOutput());
    private readonly LevelMeters levels;
    private readonly MeterFeed meters;
    private readonly DashboardView view;
    private readonly Thread drawing;
    private readonly Thread keys;
    private volatile bool stopping;
    private volatile bool askingToQuit;
    private volatile bool help;
    // MIDI learn: typing a channel name, then waiting for a controller to move (the drawing thread watches for it)
    private readonly System.Text.StringBuilder learnName = new();
    private volatile int learnStage; // 0 off, 1 typing, 2 waiting
    private long learnFrom;
    private long learnSince;

    /// <summary>Whether the dashboard can run here: both output streams a terminal, and not asked for plain lines.</summary>
    public static bool Wanted(bool noTui) => !noTui && !Console.IsOutputRedirected && !Console.IsErrorRedirected && !Console.IsInputRedirected
        && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");

    public Dashboard(Show show, LogPane log, CancellationTokenSource quit)
    {
        this.show = show;
        this.log = log;
        this.quit = quit;
        levels = new LevelMeters((int)show.Engine.SampleRate);
        meters = show.SubscribeMeters();
        var instances = InstanceCounter.Start(show.Engine, show.Options.Patch.CsdPath, w => log.Write(MessageKind.Warning, "cspylive: " + w));
        view = new DashboardView(screen, show, levels, log, instances);
        screen.Enter();
        drawing = new Thread(Draw) { IsBackground = true, Name = "cspylive-dashboard" };
        keys = new Thread(ReadKeys) { IsBackground = true, Name = "cspylive-keys" };
        drawing.Start();
        keys.Start();
    }

    /// <summary>A line for the status row (what a key did), shown for a few seconds.</summary>
    public void Say(string text) => view.Say(text);

    private void Draw()
    {
        var started = Stopwatch.GetTimestamp();
        var lastSnapshot = 0L;
        while (!stopping)
        {
            var now = Stopwatch.GetTimestamp();
            if (show.State == Show.Stage.Running)
            {
                levels.Update(meters);
                if (learnStage == 2) WatchLearn();
                if (Stopwatch.GetElapsedTime(lastSnapshot, now) >= TimeSpan.FromSeconds(1))
                {
                    view.Snapshot(show.Snapshot()); // counts, reloads: once a second (it allocates a little)
                    lastSnapshot = now;
                }
            }
            int width, height;
            try
            {
                (width, height) = (Console.WindowWidth, Console.WindowHeight);
            }
            catch (IOException)
            {
                (width, height) = (80, 24);
            }
            view.Draw(width, height, Stopwatch.GetElapsedTime(started), help, askingToQuit, Prompt());
            screen.Flush();
            Thread.Sleep(Frame);
        }
    }

    private void ReadKeys()
    {
        while (!stopping)
        {
            ConsoleKeyInfo key;
            try
            {
                key = Console.ReadKey(intercept: true);
            }
            catch (InvalidOperationException)
            {
                return; // no console to read
            }
            if (learnStage == 1)
            {
                Type(key);
                continue;
            }
            if (learnStage == 2 && key.Key == ConsoleKey.Escape)
            {
                learnStage = 0;
                Say("learn cancelled");
                continue;
            }
            if (askingToQuit)
            {
                askingToQuit = false;
                if (key.KeyChar is 'y' or 'Y') quit.Cancel();
                else Say("not quitting");
                continue;
            }
            help = key.KeyChar == '?' ? !help : false;
            switch (char.ToLowerInvariant(key.KeyChar))
            {
                case 'p':
                    Say(show.Panic() ? "panic: " + show.PanicDescription : "panic: nothing to do");
                    break;
                case 'r':
                    Say(show.RollBack() ? "rollback asked: the previous code goes live at the next k-cycle" : "nothing to roll back: this patch has no hot reload");
                    break;
                case 'm':
                    show.Fade.Muted = !show.Fade.Muted;
                    Say(show.Fade.Muted ? "muted (press m to unmute)" : "unmuted");
                    break;
                case 'q':
                    askingToQuit = true;
                    break;
                case 'l':
                    if (show.Learning is null) Say("MIDI learn needs MIDI in through the note router (--midi-in jack, --midi FILE; not route: csound)");
                    else
                    {
                        lock (learnName) learnName.Clear();
                        learnStage = 1;
                    }
                    break;
            }
        }
    }

    /// <summary>A key while the performer types the channel's name: Enter goes on to "move a controller", Esc cancels.</summary>
    private void Type(ConsoleKeyInfo key)
    {
        lock (learnName)
        {
            switch (key.Key)
            {
                case ConsoleKey.Escape:
                    learnStage = 0;
                    Say("learn cancelled");
                    return;
                case ConsoleKey.Backspace:
                    if (learnName.Length > 0) learnName.Length--;
                    return;
                case ConsoleKey.Enter:
                    if (learnName.Length == 0) { learnStage = 0; return; }
                    learnFrom = show.Learning!.Last.Count;
                    learnSince = Stopwatch.GetTimestamp();
                    learnStage = 2;
                    return;
            }
            if (!char.IsControl(key.KeyChar) && learnName.Length < 40) learnName.Append(key.KeyChar);
        }
    }

    /// <summary>The drawing thread, while waiting: the first controller that moves is learnt (30 s, then it gives up).</summary>
    private void WatchLearn()
    {
        var learning = show.Learning!;
        var last = learning.Last;
        if (last.Count == learnFrom)
        {
            if (Stopwatch.GetElapsedTime(learnSince) > TimeSpan.FromSeconds(30)) { learnStage = 0; Say("learn: no controller moved in 30 s"); }
            return;
        }
        learnStage = 0;
        string name;
        lock (learnName) name = learnName.ToString();
        try
        {
            Say("learned: " + learning.Learn(last.Controller, name));
        }
        catch (Exception e) when (e is Config.ConfigException or IOException or UnauthorizedAccessException)
        {
            Say("learn: " + e.Message);
        }
    }

    /// <summary>What the key line asks, while learning; null otherwise.</summary>
    private string? Prompt()
    {
        switch (learnStage)
        {
            case 1:
                lock (learnName) return "learn: the control channel's name, then Enter (Esc cancels): " + learnName + "_";
            case 2:
                lock (learnName) return "learn: move a controller for '" + learnName + "' (Esc cancels)";
            default:
                return null;
        }
    }

    public void Dispose()
    {
        stopping = true;
        drawing.Join(TimeSpan.FromSeconds(1));
        screen.Leave();
    }
}
