using System.CommandLine;
using System.Diagnostics;
using CsPyLive.Audio.Offline;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Midi;
using CsPyLive.Python.Reload;

namespace CsPyLive.Cli;

/// <summary><c>cspylive render</c>: a patch to a WAV file, offline, as fast as the machine goes.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("patch") { Description = "a .csd file or a patch folder" };
        var output = new Option<string>("--output", "-o") { Description = "the WAV file to write", Required = true };
        var duration = new Option<double?>("--duration", "-d") { Description = "seconds to render (default: until the score ends)" };
        var format = new Option<SampleFormat>("--format") { Description = "sample format", DefaultValueFactory = _ => SampleFormat.Float32 };
        format.AcceptOnlyFromAmong("float32", "pcm24", "pcm16");
        var reloads = new Option<string[]>("--reload")
        {
            Description = "SECONDS=FILE.py: at that score time, load FILE.py into Python as a hot reload would (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var midi = new Option<string?>("--midi")
        {
            Description = "play this Standard MIDI File (format 0 or 1) through the patch's MIDI routing; without --duration, renders to its end + 3 s",
        };
        var command = new Command("render", "Render a patch offline to a WAV file (the same samples `csound -f -o` writes).")
        {
            input, output, duration, format, reloads, midi,
        };
        command.SetAction(result => Run(
            result.GetValue(input)!, result.GetValue(output)!, result.GetValue(duration), result.GetValue(format),
            result.GetValue(reloads) ?? [], result.GetValue(midi)));
        return command;
    }

    /// <summary>Seconds rendered after a MIDI file's last event when no --duration is given: room for releases and reverb.</summary>
    private const double MidiTailSeconds = 3;

    private static int Run(string input, string output, double? duration, SampleFormat format, string[] reloads, string? midiPath)
    {
        if (duration is <= 0) { ConsoleLog.Fail("--duration must be positive"); return 2; }
        if (!PatchRun.TryResolve(input, out var patch)) return 2;
        StandardMidiFile? midiFile = null;
        if (midiPath is not null)
        {
            try
            {
                midiFile = StandardMidiFile.Read(Path.GetFullPath(midiPath));
            }
            catch (IOException e)
            {
                ConsoleLog.Fail(e is MidiFileException ? e.Message : $"--midi {midiPath}: {e.Message}");
                return 2;
            }
        }
        if (!PatchRun.TryLoadConfig(patch, out var config)) return 2;
        Action<Engine>? beforeStart = null;
        var makeMidi = midiFile is null ? null : PatchRun.MidiDestination(config.Midi, out beforeStart);

        var outputPath = Path.GetFullPath(output);
        var scripted = new List<(double At, string File)>();
        foreach (var r in reloads)
        {
            var eq = r.IndexOf('=');
            if (eq < 1 || !double.TryParse(r[..eq], System.Globalization.CultureInfo.InvariantCulture, out var at) || at < 0)
            {
                ConsoleLog.Fail($"--reload {r}: expected SECONDS=FILE.py");
                return 2;
            }
            var file = Path.GetFullPath(r[(eq + 1)..]);
            if (!File.Exists(file)) { ConsoleLog.Fail($"--reload {r}: no such file {file}"); return 2; }
            scripted.Add((at, file));
        }
        return PatchRun.WithEngine(patch, engine =>
        {
            using var reload = scripted.Count == 0 ? null : new ReloadService(engine, ConsoleLog.Print);
            foreach (var (at, file) in scripted) reload!.ScheduleAt((long)Math.Round(at * engine.SampleRate), file);
            var player = midiFile is null ? null : new MidiFilePlayer(midiFile, engine.SampleRate, makeMidi!(engine));
            if (player is not null && duration is null) duration = player.EndFrame / engine.SampleRate + MidiTailSeconds;
            var watch = Stopwatch.StartNew();
            long frames;
            using (var writer = new WavWriter(outputPath, (int)engine.SampleRate, engine.OutputChannels, format))
            {
                const int block = 4096;
                // MIDI goes in one block ahead: the engine holds each event until the k-cycle of its frame.
                player?.SendUntil(engine.OutputFrame + block);
                var renderer = new OfflineRenderer(engine, writer) { BlockFrames = block, AfterBlock = () =>
                {
                    player?.SendUntil(engine.OutputFrame + block);
                    reload?.Tick();
                    engine.Messages.Drain(ConsoleLog.Print);
                } };
                frames = renderer.Render(duration is { } s ? (long)Math.Round(s * engine.SampleRate) : null);
            }
            reload?.Tick(wait: Timeout.InfiniteTimeSpan); // every reload's outcome: nothing here can hold the GIL for good
            engine.Messages.Drain(ConsoleLog.Print, flush: true);
            Console.Error.WriteLine(
                $"cspylive: wrote {outputPath} ({frames / engine.SampleRate:0.###} s, {engine.OutputChannels} ch, " +
                $"{engine.SampleRate:0} Hz, {format.ToString().ToLowerInvariant()}) in {watch.Elapsed.TotalSeconds:0.###} s");
            return 0;
        }, beforeStart);
    }
}
