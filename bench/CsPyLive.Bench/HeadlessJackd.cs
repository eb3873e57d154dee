using System.Diagnostics;

namespace CsPyLive.Bench;

/// <summary>
/// A headless <c>jackd --no-realtime -d dummy</c> that a benchmark starts for itself, and the process helpers the JACK
/// benchmarks share. Disposing stops the server with SIGTERM: a killed jackd leaves its entry in JACK's shared server
/// registry (8 slots for the whole machine), and once it is full no jackd starts.
/// </summary>
internal sealed class HeadlessJackd : IDisposable
{
    private readonly Process process;

    /// <summary>Starts it as <paramref name="name"/> at 48 kHz and waits until it answers.</summary>
    public HeadlessJackd(string name, int period)
    {
        Environment = new Dictionary<string, string> { ["JACK_DEFAULT_SERVER"] = name, ["JACK_NO_START_SERVER"] = "1" };
        process = Start("jackd", ["--no-realtime", "-n", name, "-d", "dummy", "-r", "48000", "-p", $"{period}"], Environment);
        Tool(Environment, "jack_wait", "-w", "-t", "10");
        // Another server of the same name (say, left running by a killed run) would answer jack_wait instead of ours.
        if (process.HasExited)
            throw new InvalidOperationException($"jackd '{name}' -p {period} did not start (exit code {process.ExitCode}); is another jackd of that name running? (pgrep -a jackd)");
    }

    /// <summary>What a client process needs to reach this server.</summary>
    public Dictionary<string, string> Environment { get; }

    public void Dispose()
    {
        Terminate(process, "-TERM");
        process.Dispose();
    }

    /// <summary>Sends a signal and waits; forces the process down only if it lingers.</summary>
    internal static void Terminate(Process process, string signal)
    {
        if (process.HasExited) return;
        using (var kill = Process.Start("kill", [signal, $"{process.Id}"])) kill.WaitForExit();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    internal static Process Start(string program, IEnumerable<string> args, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    internal static void Tool(Dictionary<string, string> env, string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120))) { p.Kill(); throw new TimeoutException(program); }
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {p.ExitCode}: {output.Result.Trim()} {errors.Result.Trim()}");
    }

    internal static void WaitForPort(Dictionary<string, string> env, string port)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            var info = new ProcessStartInfo("jack_lsp") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (k, v) in env) info.Environment[k] = v;
            using var p = Process.Start(info)!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (text.Split('\n').Any(l => l.Trim() == port)) return;
            Thread.Sleep(200);
        }
        throw new TimeoutException($"the port {port} did not appear");
    }
}
