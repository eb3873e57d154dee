using System.Text.RegularExpressions;

namespace CsPyLive.Bench;

/// <summary>Replaces one benchmark's section of BENCHMARKS.md (between its markers), keeping the others.</summary>
internal static class BenchmarksFile
{
    public static void WriteSection(string name, string markdown)
    {
        var path = Path.Combine(RepoRoot(), "BENCHMARKS.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nMeasured on the project's shared machines; re-run the command to re-measure.\n";
        var begin = $"<!-- bench:{name} -->";
        var end = $"<!-- /bench:{name} -->";
        var section = $"{begin}\n{markdown.TrimEnd()}\n{end}";
        var pattern = new Regex(Regex.Escape(begin) + ".*?" + Regex.Escape(end), RegexOptions.Singleline);
        text = pattern.IsMatch(text) ? pattern.Replace(text, _ => section) : text.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(path, text);
        Console.WriteLine($"wrote the '{name}' section of {path}");
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CsPyLive.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("CsPyLive.sln not found");
    }

    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}, " +
        $"load average {LoadAverage()} at the end";

    /// <summary>The 1-minute load average: the machines are shared, and a number means little without it.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
