using System.Diagnostics;
using System.Text;

namespace CsPyLive.Tests.Support;

/// <summary>A program run in the background while the test acts on its peers; <see cref="Wait"/> collects the result.</summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();

    public BackgroundProcess(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Not the test process's current folder: an in-process Show moves it to its patch's folder while it plays,
            // and a child started then inherited a temporary folder another test deleted (a rare failure in CI).
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Our cspylive as a performer runs it (<see cref="ProcessRunner.CsPyLiveCommand"/>: the native build in a full run).</summary>
    public static BackgroundProcess CsPyLive(IDictionary<string, string>? environment, params string[] args)
    {
        var (program, prefix) = ProcessRunner.CsPyLiveCommand;
        return new(program, [.. prefix, .. args], environment);
    }

    /// <summary>The framework-dependent (JIT) build: for what only it can show, such as nothing compiled on the audio thread.</summary>
    public static BackgroundProcess CsPyLiveJit(IDictionary<string, string>? environment, params string[] args) =>
        new("dotnet", [ProcessRunner.CsPyLiveDll, .. args], environment);

    public bool HasExited => process.HasExited;

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt() => Signal("INT");

    /// <summary>Sends a signal by name (TERM, HUP...).</summary>
    public void Signal(string name) => ProcessRunner.Run("kill", [$"-{name}", process.Id.ToString()]);

    public string StdErr { get { lock (stderr) return stderr.ToString(); } }

    public string StdOut { get { lock (stdout) return stdout.ToString(); } }

    /// <summary>Polls stdout for <paramref name="text"/>; false after <paramref name="timeout"/>.</summary>
    public bool WaitForStdOut(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (StdOut.Contains(text)) return true;
            Thread.Sleep(50);
        }
        return false;
    }

    /// <summary>Polls stderr for <paramref name="text"/>; false after <paramref name="timeout"/>.</summary>
    public bool WaitForStdErr(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (StdErr.Contains(text)) return true;
            if (process.HasExited) return StdErr.Contains(text);
            Thread.Sleep(50);
        }
        return false;
    }

    public ProcessResult Wait(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"did not finish in time; stderr so far:\n{StdErr}");
        }
        process.WaitForExit(); // drains the async readers
        lock (stdout) lock (stderr) return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
