using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CsPyLive.Bench;

/// <summary>
/// What the live view costs the show (issue 17): the same patch played twice at once for N minutes on the null
/// backend's real-time clock, once with the dashboard on a 120×40 tmux terminal and once with --no-tui, both by the
/// native build; GC collections, the longest callback, p99 and xruns from each one's --stats, side by side.
/// </summary>
internal static class DashboardBenchmark
{
    public static int Run(string[] args)
    {
        var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var root = BenchmarksFile.RepoRoot();
        var binary = Build(root);
        var dir = Directory.CreateTempSubdirectory("cspylive-dashboard-");
        var seconds = (minutes * 60).ToString(CultureInfo.InvariantCulture);
        // markov's score lasts 126 s: a copy whose conductor and reverb last the whole run
        var patch = Path.Combine(dir.FullName, "markov");
        Directory.CreateDirectory(patch);
        foreach (var f in Directory.GetFiles(Path.Combine(root, "patches", "markov"))) File.Copy(f, Path.Combine(patch, Path.GetFileName(f)));
        var csd = Path.Combine(patch, "markov.csd");
        File.WriteAllText(csd, File.ReadAllText(csd).Replace("i1 0 120", $"i1 0 {seconds}").Replace("i99 0 126", $"i99 0 {minutes * 60 + 6}"));
        var socket = Path.Combine(dir.FullName, "tmux");
        var tuiStats = Path.Combine(dir.FullName, "tui.json");
        var plainStats = Path.Combine(dir.FullName, "plain.json");
        var env = new[] { "-e", "CSPYLIVE_PYTHON=/usr/bin/python3", "-e", "TERM=xterm-256color" };
        Exec("tmux", ["-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "120", "-y", "40", "-c", dir.FullName, .. env, "--",
            binary, "play", patch, "--audio", "null", "--duration", seconds, "--stats", tuiStats]);
        Exec("tmux", ["-S", socket, "set-option", "-t", "t", "remain-on-exit", "on"]);
        var plain = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, WorkingDirectory = dir.FullName };
        foreach (var a in new[] { "play", patch, "--audio", "null", "--duration", seconds, "--stats", plainStats, "--no-tui" }) plain.ArgumentList.Add(a);
        plain.Environment["CSPYLIVE_PYTHON"] = "/usr/bin/python3";
        using (var p = Process.Start(plain)!)
        {
            p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEndAsync();
            p.WaitForExit();
        }
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(tuiStats) && DateTime.UtcNow < until) Thread.Sleep(200);
        Thread.Sleep(500);
        var screen = Exec("tmux", ["-S", socket, "capture-pane", "-p", "-t", "t"]);
        Exec("tmux", ["-S", socket, "kill-server"]);
        using var tui = JsonDocument.Parse(File.ReadAllText(tuiStats));
        using var plainJson = JsonDocument.Parse(File.ReadAllText(plainStats));
        dir.Delete(true);

        static string Row(string name, JsonElement s) =>
            $"| {name} | {s.GetProperty("seconds_played").GetDouble():0.0} | {s.GetProperty("callbacks").GetInt64()} | {s.GetProperty("xruns").GetInt64()} | " +
            $"{s.GetProperty("p99_callback_us").GetDouble():0} | {s.GetProperty("max_callback_us").GetDouble():0} | {s.GetProperty("gc_collections").GetInt64()} | {s.GetProperty("rss_mb").GetDouble():0.0} |";
        var md = $"""
            ## The live view's cost: dashboard against --no-tui, played at once

            Command: `dotnet run -c Release --project bench/CsPyLive.Bench -- dashboard {minutes}`
            ({BenchmarksFile.Machine()})

            `patches/markov` (Python at k-rate; its score lengthened to the run) for {minutes} min on the null backend's real-time clock, twice at the same time
            by the native build: once with the dashboard on a 120×40 tmux terminal (redrawn 20 times a second), once with
            `--no-tui` (plain lines, a status line every 10 s). From each one's `--stats`:

            | mode | s played | callbacks | xruns | p99 us | max us | GC collections | RSS MB |
            |---|---|---|---|---|---|---|---|
            {Row("dashboard", tui.RootElement)}
            {Row("--no-tui", plainJson.RootElement)}

            Goal: 0 GCs in steady state. The dashboard draws into fixed cell buffers and sends only changed cells; it reads
            the show's counters (the once-a-second snapshot is its one allocation).
            """;
        Console.WriteLine(md);
        Console.WriteLine(screen);
        BenchmarksFile.WriteSection("dashboard", md);
        return 0;
    }

    private static string Build(string root)
    {
        var path = Exec(Path.Combine(root, "scripts", "build.sh"), ["native"]).Trim();
        return File.Exists(path) ? path : throw new InvalidOperationException("no native build");
    }

    private static string Exec(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {err.Result}");
        return output;
    }
}
