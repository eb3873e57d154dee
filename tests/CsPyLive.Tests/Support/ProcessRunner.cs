using System.Diagnostics;

namespace CsPyLive.Tests.Support;

/// <summary>The result of running a program to its end: exit code and everything it printed.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;
}

/// <summary>Runs real programs (the csound CLI, our cspylive) as a user would, with a time limit.</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(string program, IEnumerable<string> args, string? workingDirectory = null,
        TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in time");
        }
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the real <c>csound</c> command, the reference implementation.</summary>
    public static ProcessResult Csound(params string[] args) => Run("csound", args);

    /// <summary>Runs our <c>cspylive</c> command as built next to the tests.</summary>
    public static ProcessResult CsPyLive(params string[] args) =>
        Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "cspylive.dll"), .. args]);
}
