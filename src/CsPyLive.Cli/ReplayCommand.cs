using System.CommandLine;
using System.Diagnostics;
using CsPyLive.Audio.Offline;
using CsPyLive.Config;
using CsPyLive.Live;
using CsPyLive.Replay;

namespace CsPyLive.Cli;

/// <summary>
/// <c>cspylive replay show.cslog -o take.wav</c>: the patch as it was when the show started, rendered offline with
/// every input of the show applied at its frame and every reload swapped in at its frame: the samples the live
/// <c>--record</c> wrote.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(HostConfig host)
    {
        var log = new Argument<string>("log") { Description = "a show log written by play --log" };
        var output = new Option<string>("--output", "-o") { Description = "the WAV file to write", Required = true };
        var format = new Option<SampleFormat>("--format") { Description = "sample format", DefaultValueFactory = _ => SampleFormat.Float32 };
        format.AcceptOnlyFromAmong("float32", "pcm24", "pcm16");
        var command = new Command("replay", "Play a show log back offline: the same samples the show's --record wrote.") { log, output, format };
        command.SetAction(r => Replay(r.GetValue(log)!, r.GetValue(output)!, r.GetResult(format) is null ? SampleFormat.Float32 : r.GetValue(format), host));
        return command;
    }

    private static int Replay(string logPath, string output, SampleFormat format, HostConfig host)
    {
        ShowLogFile file;
        try
        {
            file = ShowLogFile.Read(logPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            ConsoleLog.Fail(e.Message);
            return 2;
        }
        var h = file.Header;
        var folder = Directory.CreateTempSubdirectory("cspylive-replay-");
        try
        {
            foreach (var (name, text) in h.Files) File.WriteAllText(Path.Combine(folder.FullName, name), text);
            foreach (var name in h.OtherFiles)
            {
                var original = Path.Combine(h.Patch, name);
                if (File.Exists(original)) File.CreateSymbolicLink(Path.Combine(folder.FullName, name), original);
                else Console.Error.WriteLine($"cspylive: replay: {name} is gone from {h.Patch}; the orchestra may miss it");
            }
            foreach (var warning in h.MayDiverge) Console.Error.WriteLine($"cspylive: replay: may differ from the show: {warning}");
            if (file.Truncated) Console.Error.WriteLine("cspylive: replay: the log's last line was cut (the show stopped while writing it); skipped");
            if (file.Lost > 0)
                Console.Error.WriteLine($"cspylive: replay: the show could not log {file.Lost} entr(y/ies), the first at {file.FirstLostFrame / h.SampleRate:0.000} s; the replay differs from there");
            var end = file.EndFrame ?? (file.Entries.Count > 0 ? file.Entries[^1].Frame + (long)h.SampleRate : (long)h.SampleRate);
            if (file.EndFrame is null) Console.Error.WriteLine($"cspylive: replay: the log has no end (the show crashed?); replaying to 1 s after its last entry");
            var request = new ShowRequest { Patch = Path.Combine(folder.FullName, h.Csd), Output = output, Format = format, Duration = end / h.SampleRate };
            ShowOptions options;
            try
            {
                options = ShowOptions.Resolve(request, host) with { Replay = file, AutoRollback = false, PythonBudgetMs = h.PythonBudgetMs, SampleAccurate = h.SampleAccurate };
            }
            catch (ConfigException e)
            {
                ConsoleLog.Fail(e.Message);
                return 2;
            }
            return ShowRunner.Run(options, show =>
            {
                if (show.Engine.SampleRate != h.SampleRate || show.Engine.Ksmps != h.Ksmps)
                {
                    ConsoleLog.Fail($"replay: the orchestra runs at sr {show.Engine.SampleRate}, ksmps {show.Engine.Ksmps}; the show ran at sr {h.SampleRate}, ksmps {h.Ksmps}");
                    return 1;
                }
                var watch = Stopwatch.StartNew();
                using var stop = new StopSignals("the file's header is left without its sizes");
                var stats = show.Run(stop.Token);
                var late = show.Replayed?.Late ?? 0;
                Console.Error.WriteLine($"cspylive: replayed {file.Entries.Count} entries of {Path.GetFileName(logPath)} into {output} " +
                    $"({end / h.SampleRate:0.###} s) in {watch.Elapsed.TotalSeconds:0.###} s" + (late > 0 ? $"; {late} applied late, so it differs from there" : ""));
                return stop.Token.IsCancellationRequested ? 1 : 0;
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
