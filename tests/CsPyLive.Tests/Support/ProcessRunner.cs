
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
        using var process = new BackgroundProcess(program, args, environment, workingDirectory);
        return process.Wait(timeout ?? TimeSpan.FromMinutes(2));
    }

    /// <summary>Runs the real <c>csound</c> command, the reference implementation.</summary>
    public static ProcessResult Csound(params string[] args) => Run("csound", args);

    /// <summary>Runs our <c>cspylive</c> command as built next to the tests.</summary>
    public static ProcessResult CsPyLive(params string[] args) =>
        Run("dotnet", [CsPyLiveDll, .. args]);

    /// <summary>Our cspylive as built next to the tests.</summary>
    public static string CsPyLiveDll => Path.Combine(AppContext.BaseDirectory, "cspylive.dll");
}
