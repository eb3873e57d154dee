using System.Diagnostics;
using System.Globalization;
using CsPyLive.Tests.Jack;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// Ableton's LinkHut (Debian ableton-link-utils), a Link peer no one here wrote, run under tmux inside a
/// <see cref="NetworkNamespace"/> with a headless jackd of its own (LinkHut plays its metronome through JACK). The
/// test reads its screen (<c>tmux capture-pane -p</c>) and types its keys: a enables Link, w/e lower/raise the tempo
/// by 1 BPM (one key at a time: keys typed together are not all taken), r/t the quantum, space starts/stops.
/// </summary>
public sealed class LinkHut : IDisposable
{
    private readonly NetworkNamespace ns;
    private readonly FileStream jackNameLease;
    private NamespaceProcess? jackd;
    private readonly string socket = Path.Combine(Path.GetTempPath(), $"cspylive-linkhut-{Guid.NewGuid():N}.tmux");

    public LinkHut(NetworkNamespace ns)
    {
        this.ns = ns;
        (JackName, jackNameLease) = JackServer.LeaseName();
        try
        {
            jackd = ns.Start("jackd", ["--no-realtime", "-n", JackName, "-d", "dummy", "-r", "48000", "-p", "256"]);
            var env = new Dictionary<string, string> { ["JACK_DEFAULT_SERVER"] = JackName, ["JACK_NO_START_SERVER"] = "1" };
            var wait = ProcessRunner.Run("jack_wait", ["-w", "-t", "10"], environment: env, timeout: TimeSpan.FromSeconds(20));
            if (!wait.StdOut.Contains("server is available")) throw new InvalidOperationException($"jackd '{JackName}' did not come up: {wait.Output}");
            // The tmux server forks from this nsenter, so it and LinkHut live in the namespace; its socket is a file,
            // which the test's own tmux commands reach from outside.
            var tmux = ns.Run("tmux", ["-S", socket, "new-session", "-d", "-x", "120", "-y", "30", "-s", "hut",
                $"env JACK_DEFAULT_SERVER={JackName} JACK_NO_START_SERVER=1 LinkHut"]);
            if (tmux.ExitCode != 0) throw new InvalidOperationException("tmux did not start LinkHut: " + tmux.Output);
            if (WaitForStatus(_ => true, TimeSpan.FromSeconds(10)) is null) throw new InvalidOperationException("LinkHut shows no status:\n" + Screen());
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string JackName { get; }

    /// <summary>LinkHut's screen as text.</summary>
    public string Screen() => ProcessRunner.Run("tmux", ["-S", socket, "capture-pane", "-p", "-t", "hut"], timeout: TimeSpan.FromSeconds(10)).StdOut;

    /// <summary>Types one key (a tmux key name: "a", "e", "Space"). Leave LinkHut ~300 ms before the next one.</summary>
    public void Key(string key) =>
        ProcessRunner.Run("tmux", ["-S", socket, "send-keys", "-t", "hut", key], timeout: TimeSpan.FromSeconds(10));

    /// <summary>The status line under "enabled | num peers | quantum | ...", or null if it is not on screen.</summary>
    public Status? Read()
    {
        var screen = Screen().Split('\n');
        var header = Array.FindLastIndex(screen, l => l.StartsWith("enabled |", StringComparison.Ordinal));
        if (header < 0 || header + 1 >= screen.Length) return null;
        var cells = screen[header + 1].Split('|').Select(c => c.Trim()).ToArray();
        if (cells.Length < 6) return null;
        var inv = CultureInfo.InvariantCulture;
        return int.TryParse(cells[1], inv, out var peers) && double.TryParse(cells[2], inv, out var quantum)
            && double.TryParse(cells[4], inv, out var tempo) && double.TryParse(cells[5], inv, out var beats)
            ? new Status(cells[0] == "yes", peers, quantum, tempo, beats)
            : null;
    }

    /// <summary>Polls the screen until the status satisfies <paramref name="match"/>; null after <paramref name="timeout"/>.</summary>
    public Status? WaitForStatus(Func<Status, bool> match, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        do
        {
            if (Read() is { } s && match(s)) return s;
            Thread.Sleep(50);
        }
        while (watch.Elapsed < timeout);
        return null;
    }

    public void Dispose()
    {
        ProcessRunner.Run("tmux", ["-S", socket, "kill-server"], timeout: TimeSpan.FromSeconds(10));
        File.Delete(socket);
        if (jackd is { HasExited: false })
        {
            // SIGTERM lets jackd leave JACK's server registry tidy; only then is its name free for another test.
            ProcessRunner.Run("kill", ["-TERM", jackd.Id.ToString(CultureInfo.InvariantCulture)]);
            var watch = Stopwatch.StartNew();
            while (!jackd.HasExited && watch.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(50);
        }
        jackd?.Dispose();
        jackNameLease.Dispose();
    }

    /// <summary>One reading of LinkHut's status line.</summary>
    public sealed record Status(bool Enabled, int Peers, double Quantum, double Tempo, double Beats);
}
