namespace CsPyLive.Tests.Support;

/// <summary>
/// A program on a real terminal: a tmux server of the test's own (its own socket, no user config) running one
/// window of a given size; the test reads the screen (<c>capture-pane -p</c>), types keys and resizes it.
/// The pane stays after the program exits, so its last screen can still be read.
/// </summary>
public sealed class TmuxTerminal : IDisposable
{
    private readonly string socket = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cspylive-tmux-{Guid.NewGuid():N}");

    public TmuxTerminal(int width, int height, string program, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var command = new List<string> { "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", $"{width}", "-y", $"{height}" };
        if (workingDirectory is not null) command.AddRange(["-c", workingDirectory]);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) command.AddRange(["-e", $"{k}={v}"]);
        command.AddRange(["-e", "TERM=xterm-256color", "--", program, .. args]);
        var start = ProcessRunner.Run("tmux", command, timeout: TimeSpan.FromSeconds(20));
        if (start.ExitCode != 0) throw new InvalidOperationException("tmux did not start: " + start.Output);
        Tmux("set-option", "-t", "t", "remain-on-exit", "on");
        Tmux("set-option", "-t", "t", "window-size", "manual");
    }

    /// <summary>The screen as text, a line per row.</summary>
    public string Screen() => Tmux("capture-pane", "-p", "-t", "t").StdOut;

    /// <summary>Polls the screen until <paramref name="match"/> holds; the last screen either way.</summary>
    public (bool Found, string Screen) WaitFor(Func<string, bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var screen = Screen();
            if (match(screen)) return (true, screen);
            if (DateTime.UtcNow > until) return (false, screen);
            Thread.Sleep(50);
        }
    }

    /// <summary>Types keys (tmux key names or literal text).</summary>
    public void Keys(params string[] keys) => Tmux(["send-keys", "-t", "t", .. keys]);

    public void Resize(int width, int height) => Tmux("resize-window", "-t", "t", "-x", $"{width}", "-y", $"{height}");

    /// <summary>True once the program has exited (the pane is dead).</summary>
    public bool Exited => Tmux("display-message", "-p", "-t", "t", "#{pane_dead}").StdOut.Trim() == "1";

    private ProcessResult Tmux(params string[] args) => ProcessRunner.Run("tmux", ["-S", socket, .. args], timeout: TimeSpan.FromSeconds(20));

    public void Dispose()
    {
        Tmux("kill-server");
        File.Delete(socket);
    }
}
