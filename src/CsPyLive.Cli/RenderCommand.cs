using System.CommandLine;
using System.Diagnostics;
using CsPyLive.Live;

namespace CsPyLive.Cli;

/// <summary><c>cspylive render</c>: a patch to a WAV file, offline, as fast as the machine goes (the same samples <c>csound -f -o</c> writes).</summary>
internal static class RenderCommand
{
    public static Command Create(HostConfig host)
    {
        var options = new ShowCommandLine(host);
        var command = options.Render("render", "Render a patch offline to a WAV file (the same samples `csound -f -o` writes).");
        command.SetAction(r => ShowRunner.Perform(options.Request(r), host, Render));
        return command;
    }

    private static int Render(Show show)
    {
        var watch = Stopwatch.StartNew();
        using var stop = new StopSignals("the file's header is left without its sizes");
        if (!Console.IsErrorRedirected)
            show.RenderBar = status =>
            {
                var width = 80;
                try { width = Math.Max(40, Console.WindowWidth - 1); } catch (IOException) { }
                var line = status.Line(width);
                ConsoleLog.Status(line.Length > width ? line[..width] : line);
            };
        var stats = show.Run(stop.Token);
        ConsoleLog.ClearStatus(); // the bar gives its line back
        var engine = show.Engine;
        var (path, format) = show.Options.Output!.Value;
        var interrupted = stop.Token.IsCancellationRequested;
        // A duration is rendered exactly (silence-padded), unless the render was stopped first.
        var seconds = interrupted ? stats.SecondsPlayed : show.Options.Duration ?? stats.SecondsPlayed;
        Console.Error.WriteLine($"cspylive: {(interrupted ? "stopped; " : "")}wrote {path} ({seconds:0.###} s, {engine.OutputChannels} ch, " +
            $"{engine.SampleRate:0} Hz, {format.ToString().ToLowerInvariant()}) in {watch.Elapsed.TotalSeconds:0.###} s");
        return interrupted ? 1 : 0;
    }
}
