using System.Diagnostics;
using CsPyLive.Tests.Support;

namespace CsPyLive.Tests.Sync;

/// <summary>
/// A private network namespace of the test's own, with only loopback up (<c>unshare -n</c>, then
/// <c>ip link set lo up</c>), held open by a sleeping process. Link multicasts on every interface it finds: every Link
/// peer of the tests runs in here (<see cref="Start"/> enters it with <c>nsenter --net</c>), never in the machine's
/// namespace nor in the test process. <see cref="Dispose"/> kills every process in the namespace, whoever started it,
/// which ends the namespace. Needs root (or CAP_SYS_ADMIN).
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private readonly NamespaceProcess holder;
    private readonly List<NamespaceProcess> started = [];

    public NetworkNamespace()
    {
        holder = new NamespaceProcess("unshare", ["-n", "--", "bash", "-c", "ip link set lo up && echo ready && exec sleep 600"]);
        if (holder.WaitForLine(l => l == "ready", TimeSpan.FromSeconds(10)) is null)
        {
            holder.Dispose();
            throw new InvalidOperationException($"could not make a network namespace (unshare -n; needs root): {holder.StdErr}");
        }
        NetPath = $"/proc/{holder.Id}/ns/net";
        Id = ReadNamespace(holder.Id) ?? throw new InvalidOperationException("the namespace's holder died");
        if (Id == ReadNamespace(Environment.ProcessId))
            throw new InvalidOperationException("unshare -n left the holder in the test's own network namespace");
    }

    /// <summary>The namespace's identity, as <c>readlink /proc/PID/ns/net</c> prints it (net:[inode]).</summary>
    public string Id { get; }

    /// <summary>The file that <c>nsenter --net=</c> enters.</summary>
    public string NetPath { get; }

    /// <summary>Starts <paramref name="program"/> inside the namespace, its stdin open for commands.</summary>
    public NamespaceProcess Start(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var p = new NamespaceProcess("nsenter", [$"--net={NetPath}", "--", program, .. args], environment);
        lock (started) started.Add(p);
        return p;
    }

    /// <summary>Runs <paramref name="program"/> to its end inside the namespace.</summary>
    public ProcessResult Run(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run("nsenter", [$"--net={NetPath}", "--", program, .. args], environment: environment, timeout: timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>The processes now in this namespace (the holder included).</summary>
    public IReadOnlyList<int> Processes()
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadNamespace(pid) == Id) pids.Add(pid);
        return pids;
    }

    public void Dispose()
    {
        // TERM first (jackd then leaves JACK's registry tidy), KILL what lingers, the holder last.
        foreach (var signal in new[] { "TERM", "KILL" })
        {
            var pids = Processes().Where(p => p != holder.Id).ToList();
            if (pids.Count == 0) break;
            ProcessRunner.Run("kill", [$"-{signal}", .. pids.Select(p => p.ToString())]);
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(3) && Processes().Any(p => p != holder.Id)) Thread.Sleep(50);
        }
        lock (started) foreach (var p in started) p.Dispose();
        holder.Dispose();
    }

    private static string? ReadNamespace(int pid)
    {
        try { return new FileInfo($"/proc/{pid}/ns/net").LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
