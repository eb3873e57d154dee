
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

    /// <summary>Runs our <c>cspylive</c> as a performer runs it (see <see cref="CsPyLiveCommand"/>).</summary>
    public static ProcessResult CsPyLive(params string[] args) => CsPyLiveWith(null, args);

    /// <summary>The same, with environment variables.</summary>
    public static ProcessResult CsPyLiveWith(IDictionary<string, string>? environment, params string[] args)
    {
        var (program, prefix) = CsPyLiveCommand;
        return Run(program, [.. prefix, .. args], environment: environment);
    }

    /// <summary>Runs the framework-dependent (JIT) build: for what only it can show, such as nothing compiled on the audio thread.</summary>
    public static ProcessResult CsPyLiveJit(params string[] args) => Run("dotnet", [CsPyLiveDll, .. args]);

    /// <summary>
    /// The program and leading arguments that run cspylive: the native binary <c>scripts/test.sh</c> built and named
    /// in <c>CSPYLIVE_BINARY</c> (ADR 0015), else the JIT build next to the tests (<c>dotnet cspylive.dll</c>).
    /// </summary>
    public static (string Program, string[] Prefix) CsPyLiveCommand =>
        Environment.GetEnvironmentVariable("CSPYLIVE_BINARY") is { Length: > 0 } binary && !binary.EndsWith(".dll", StringComparison.Ordinal)
            ? (binary, [])
            : ("dotnet", [CsPyLiveDll]);

    /// <summary>
    /// The NativeAOT build: the one <c>scripts/test.sh</c> named, else built now by <c>scripts/build.sh native</c>
    /// (a minute the first time, nothing when it is up to date).
    /// </summary>
    public static string NativeBinary => native.Value;

    private static readonly Lazy<string> native = new(() =>
    {
        if (Environment.GetEnvironmentVariable("CSPYLIVE_BINARY") is { Length: > 0 } binary && !binary.EndsWith(".dll", StringComparison.Ordinal))
            return binary;
        var build = Run(System.IO.Path.Combine(TestData.RepoRoot, "scripts", "build.sh"), ["native"], timeout: TimeSpan.FromMinutes(5));
        return build.ExitCode == 0 ? build.StdOut.Trim() : throw new InvalidOperationException("scripts/build.sh native failed:\n" + build.Output);
    });

    /// <summary>Our cspylive as built next to the tests.</summary>
    public static string CsPyLiveDll => Path.Combine(AppContext.BaseDirectory, "cspylive.dll");
}
