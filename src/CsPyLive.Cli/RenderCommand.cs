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
        var stats = show.Run();
        var engine = show.Engine;
        var (path, format) = show.Options.Output!.Value;
        var seconds = show.Options.Duration ?? stats.SecondsPlayed; // a duration is rendered exactly, silence-padded
        Console.Error.WriteLine($"cspylive: wrote {path} ({seconds:0.###} s, {engine.OutputChannels} ch, {engine.SampleRate:0} Hz, " +
            $"{format.ToString().ToLowerInvariant()}) in {watch.Elapsed.TotalSeconds:0.###} s");
        return 0;
    }
}
