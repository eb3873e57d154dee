using System.Diagnostics;

namespace CsPyLive.Tests.Sync;

/// <summary>A program in a <see cref="NetworkNamespace"/>: its output kept line by line, its stdin open for commands.</summary>
public sealed class NamespaceProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly List<string> errors = [];

    public NamespaceProcess(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Everything printed on stdout so far.</summary>
    public IReadOnlyList<string> Lines { get { lock (lines) return [.. lines]; } }

    public string StdErr { get { lock (errors) return string.Join('\n', errors); } }

    /// <summary>The last <paramref name="count"/> lines of stdout and stderr, for failure messages.</summary>
    public string Tail(int count = 10) => string.Join('\n', Lines.TakeLast(count)) + "\n" + StdErr;

    /// <summary>Writes one line to the program's stdin.</summary>
    public void Send(string line)
    {
        process.StandardInput.WriteLine(line);
        process.StandardInput.Flush();
    }

    /// <summary>
    /// Polls stdout for a line printed from <paramref name="from"/> on that satisfies <paramref name="match"/>; the
    /// line, or null after <paramref name="timeout"/>.
    /// </summary>
    public string? WaitForLine(Func<string, bool> match, TimeSpan timeout, int from = 0)
    {
        var watch = Stopwatch.StartNew();
        do
        {
            var now = Lines;
            for (var i = from; i < now.Count; i++) if (match(now[i])) return now[i];
            if (process.HasExited) return null;
            Thread.Sleep(20);
        }
        while (watch.Elapsed < timeout);
        return null;
    }

    public void Dispose()
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
