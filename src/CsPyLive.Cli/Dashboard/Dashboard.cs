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
        view = new DashboardView(screen, show, levels, log);
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
            view.Draw(width, height, Stopwatch.GetElapsedTime(started), help, askingToQuit);
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
            }
        }
    }

    public void Dispose()
    {
        stopping = true;
        drawing.Join(TimeSpan.FromSeconds(1));
        screen.Leave();
    }
}
