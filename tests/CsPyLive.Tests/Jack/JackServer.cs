using System.Diagnostics;
using System.Text;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Jack;

/// <summary>
/// A headless JACK server of the test's own (<c>jackd --no-realtime -n NAME -d dummy</c>), so tests run without a
/// sound card and without disturbing each other. Clients find it through <see cref="ClientEnvironment"/>.
/// </summary>
public sealed class JackServer : IDisposable
{
    private const int NamePool = 6;
    private readonly StringBuilder log = new();
    private readonly FileStream? nameLease;
    private Process? process;

    public JackServer(int sampleRate = 48000, int period = 256, string? name = null)
    {
        if (name is null) (name, nameLease) = LeaseName();
        Name = name;
        SampleRate = sampleRate;
        Period = period;
        Start();
    }

    public string Name { get; }
    public int SampleRate { get; }
    public int Period { get; }

    /// <summary>What jackd printed so far (for failure messages).</summary>
    public string Log { get { lock (log) return log.ToString(); } }

    /// <summary>The environment that points a JACK client at this server and forbids it to start another.</summary>
    public Dictionary<string, string> ClientEnvironment => new()
    {
        ["JACK_DEFAULT_SERVER"] = Name,
        ["JACK_NO_START_SERVER"] = "1",
    };

    /// <summary>Starts jackd (again, under the same name after <see cref="Kill"/>) and waits until it answers.</summary>
    public void Start()
    {
        if (process is not null) throw new InvalidOperationException("already running");
        var info = new ProcessStartInfo("jackd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--no-realtime", "-n", Name, "-d", "dummy", "-r", $"{SampleRate}", "-p", $"{Period}" })
            info.ArgumentList.Add(a);
        process = Process.Start(info) ?? throw new InvalidOperationException("could not start jackd");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var wait = ProcessRunner.Run("jack_wait", ["-w", "-t", "10"], environment: ClientEnvironment, timeout: TimeSpan.FromSeconds(20));
        if (wait.ExitCode != 0 || !wait.StdOut.Contains("server is available"))
        {
            Kill();
            throw new InvalidOperationException($"jackd '{Name}' did not come up:\n{wait.Output}\n{Log}");
        }
    }

    /// <summary>
    /// Kills the server under a playing <paramref name="play"/>, waits until it says so, brings the server back after
    /// <paramref name="down"/> and waits until the client says it reconnected (a line containing <paramref name="reconnected"/>).
    /// </summary>
    public void RestartUnder(BackgroundProcess play, TimeSpan down, string reconnected = "reconnected to JACK")
    {
        Kill();
        Assert.True(play.WaitForStdErr("the JACK server shut down", TimeSpan.FromSeconds(10)), play.StdErr);
        Thread.Sleep(down);
        Start();
        Assert.True(play.WaitForStdErr(reconnected, TimeSpan.FromSeconds(15)), play.StdErr + Log);
    }

    /// <summary>Stops the server as an init system would (SIGTERM; SIGKILL if it lingers) and waits until it is gone.</summary>
    public void Kill()
    {
        var p = process;
        process = null;
        if (p is null) return;
        if (!p.HasExited)
        {
            ProcessRunner.Run("kill", ["-TERM", p.Id.ToString()]);
            if (!p.WaitForExit(TimeSpan.FromSeconds(5))) p.Kill();
            p.WaitForExit();
        }
        p.Dispose();
    }

    /// <summary>
    /// Stops the server's process for <paramref name="time"/> (SIGSTOP, then SIGCONT): a device that stalls and comes
    /// back. Its clients get no callback meanwhile; their connections survive.
    /// </summary>
    public void Freeze(TimeSpan time)
    {
        var pid = (process ?? throw new InvalidOperationException("not running")).Id.ToString();
        ProcessRunner.Run("kill", ["-STOP", pid]);
        Thread.Sleep(time);
        ProcessRunner.Run("kill", ["-CONT", pid]);
    }

    /// <summary>Runs a JACK tool (jack_lsp, jack_connect...) against this server.</summary>
    public ProcessResult Tool(string program, params string[] args) =>
        ProcessRunner.Run(program, args, environment: ClientEnvironment, timeout: TimeSpan.FromSeconds(30));

    /// <summary>
    /// Polls <c>jack_lsp -c</c> until <paramref name="from"/> is connected to <paramref name="to"/> (a client
    /// registers its ports, then activates, then connects: the ports show up a moment before the connections).
    /// Returns the last listing either way, for the assertion.
    /// </summary>
    public string WaitForConnection(string from, string to, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        string listing;
        do
        {
            listing = Tool("jack_lsp", "-c").StdOut;
            if (listing.Contains($"{from}\n   {to}")) break;
            Thread.Sleep(100);
        }
        while (watch.Elapsed < timeout);
        return listing;
    }

    /// <summary>
    /// Waits until <paramref name="output"/> (auto-connected at activation) is connected to its playback port. A client's
    /// ports exist from registration, but JACK2 refuses connections to an inactive client's ports ("cannot connect
    /// client"), so a test that connects another client to ours must wait for this, not only for the port.
    /// </summary>
    public bool WaitForActivation(string output, string playback, TimeSpan timeout) =>
        WaitForConnection(output, playback, timeout).Contains($"{output}\n   {playback}");

    /// <summary>Polls <c>jack_lsp</c> until <paramref name="port"/> exists; false after <paramref name="timeout"/>.</summary>
    public bool WaitForPort(string port, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (Tool("jack_lsp").StdOut.Split('\n').Any(l => l.Trim() == port)) return true;
            Thread.Sleep(100);
        }
        return false;
    }

    public void Dispose()
    {
        Kill();
        nameLease?.Dispose();
    }

    /// <summary>
    /// A server name from a small pool, held with an exclusive file lock (across processes) while in use. JACK keeps a
    /// registry of at most 8 servers in shared memory and frees an entry left by a server that died only when a new
    /// server registers under the same name: a fresh name per test would fill it after a few killed servers, and then
    /// no server starts at all ("Too many servers already active").
    /// </summary>
    internal static (string Name, FileStream Lease) LeaseName()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            for (var i = 0; i < NamePool; i++)
            {
                var path = Path.Combine(Path.GetTempPath(), $"cspylive-jack-test-{i}.lock");
                try
                {
                    return ($"cspylive-test-{i}", new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException)
                {
                    // another test (or test process) has this one
                }
            }
            if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("no JACK server name free in the pool");
            Thread.Sleep(100);
        }
    }
}
