using System.CommandLine;
using CsPyLive.Audio.Offline;
using CsPyLive.Live;

namespace CsPyLive.Cli;

/// <summary>
/// The options <c>play</c> and <c>render</c> take, read into a <see cref="ShowRequest"/>. Nothing is merged or
/// checked here: an option not given stays null, and <see cref="ShowOptions.Resolve"/> does the rest, once.
/// </summary>
internal sealed class ShowCommandLine(HostConfig host)
{
    public readonly Argument<string> Patch = new("patch") { Description = "a .csd file or a patch folder" };
    public readonly Option<double?> Duration = new("--duration", "-d") { Description = "seconds to play (render: default until the score ends)" };
    public readonly Option<string?> Python = new("--python") { Description = "the Python interpreter to embed, e.g. a venv's bin/python (CPython 3.10-3.13; default: $VIRTUAL_ENV, then python3 on PATH)" };
    // play
    public readonly Option<string?> Audio = new("--audio") { Description = $"audio backend: auto, jack, portaudio, asio (Windows) or null (a real-time clock, no device); default {host.Audio.Backend}" };
    public readonly Option<string?> Device = new("--device") { Description = "the device: a PortAudio device name or number, or an ASIO driver (cspylive devices lists them)" };
    public readonly Option<string?> Record = new("--record") { Description = "write what the engine produced to this WAV file" };
    public readonly Option<string?> Stats = new("--stats") { Description = "write measurements as JSON here when the run ends" };
    public readonly Option<int?> Period = new("--period") { Description = $"frames per audio period (null backend; JACK's is the server's; default {host.Audio.Period})" };
    public readonly Option<string?> JackName = new("--jack-name") { Description = $"JACK client name (default {host.Audio.JackClient})" };
    public readonly Option<bool> NoConnect = new("--no-connect") { Description = "do not connect the JACK ports to the system's playback/capture ports" };
    public readonly Option<bool> NoTui = new("--no-tui") { Description = "plain log lines with a status line every 10 s instead of the full-screen view (also when the output is not a terminal)" };
    public readonly Option<double?> Budget = new("--python-budget-ms") { Description = $"interrupt Python that keeps one audio callback busy longer than this (default {host.Python.BudgetMs})" };
    public readonly Option<bool> NoRollback = new("--no-auto-rollback") { Description = "keep reloaded code even when it raises where the previous version did not" };
    public readonly Option<string?> MidiIn = new("--midi-in") { Description = "MIDI input: none, or jack (a port <client>:midi_in; needs the JACK backend)" };
    public readonly Option<int?> OscPort = new("--osc-port") { Description = "receive OSC over UDP on this port (default: patch.yaml's osc.port; none: no OSC)" };
    public readonly Option<int?> OscTcpPort = new("--osc-tcp-port") { Description = "receive SLIP-framed OSC over TCP on this port" };
    public readonly Option<string?> OscBind = new("--osc-bind") { Description = "address to listen on (default 127.0.0.1; another needs --osc-allow)" };
    public readonly Option<string?> OscAllow = new("--osc-allow") { Description = "comma-separated source addresses accepted" };
    public readonly Option<int?> OscFeedbackPort = new("--osc-feedback-port") { Description = "send feedback to this port on the sender's host (default: the sender's port)" };
    public readonly Option<bool> Verbose = new("--verbose") { Description = "print Csound's per-note messages too (new alloc, rtevent), hidden by default" };
    public readonly Option<string?> Log = new("--log") { Description = "write a show log here: every input as applied, each reload's code (cspylive replay plays it back)" };
    public readonly Option<string?> Sync = new("--sync") { Description = "the beat clock: link (an Ableton Link session on the network), midi (MIDI clock into <client>:midi_in), jack (JACK transport) or none (the host's own clock at sync.tempo); default: patch.yaml's sync.source, else none" };
    public readonly Option<bool> MidiClockOut = new("--midi-clock-out") { Description = "send MIDI clock (24 ppqn, start/stop) at the beat clock's tempo on the JACK port <client>:midi_out" };
    public readonly Option<bool> JackTransportMaster = new("--jack-transport-master") { Description = "become JACK's timebase master: publish the beat clock's tempo and bar/beat/tick to the transport" };
    public readonly Option<string?> ReloadAt = new("--reload-at") { Description = "a hot reload goes live on the next beat or bar of the beat clock (beat, bar; default now)" };
    // render
    public readonly Option<string> Output = new("--output", "-o") { Description = "the WAV file to write", Required = true };
    public readonly Option<SampleFormat> Format = new("--format") { Description = "sample format", DefaultValueFactory = _ => SampleFormat.Float32 };
    public readonly Option<string[]> Reloads = new("--reload") { Description = "SECONDS=FILE.py: at that score time, load FILE.py into Python as a hot reload would (repeatable)" };
    public readonly Option<string?> Midi = new("--midi") { Description = "play this Standard MIDI File (format 0 or 1) through the patch's MIDI routing; without --duration, renders to its end + 3 s" };

    public Command Play(string name, string description)
    {
        Audio.AcceptOnlyFromAmong("auto", "null", "jack", "portaudio", "asio");
        MidiIn.AcceptOnlyFromAmong("none", "jack");
        Sync.AcceptOnlyFromAmong("none", "link", "midi", "jack");
        ReloadAt.AcceptOnlyFromAmong("now", "beat", "bar");
        return new Command(name, description)
        {
            Patch, Audio, Device, Duration, Record, Stats, Period, JackName, NoConnect, NoTui, NoRollback, Budget, MidiIn,
            OscPort, OscTcpPort, OscBind, OscAllow, OscFeedbackPort, Log, Python, Verbose, Sync, ReloadAt, Midi, MidiClockOut, JackTransportMaster,
        };
    }

    public Command Render(string name, string description)
    {
        Format.AcceptOnlyFromAmong("float32", "pcm24", "pcm16");
        ReloadAt.AcceptOnlyFromAmong("now", "beat", "bar");
        return new Command(name, description) { Patch, Output, Duration, Format, Reloads, Midi, Python, Verbose, ReloadAt };
    }

    /// <summary>What was given; options of the other command are simply absent.</summary>
    public ShowRequest Request(ParseResult r) => new()
    {
        Patch = r.GetValue(Patch)!, Duration = r.GetValue(Duration), Audio = r.GetValue(Audio), Device = r.GetValue(Device), Record = r.GetValue(Record),
        Stats = r.GetValue(Stats), Period = r.GetValue(Period), JackName = r.GetValue(JackName), NoConnect = r.GetValue(NoConnect),
        PythonBudgetMs = r.GetValue(Budget), NoAutoRollback = r.GetValue(NoRollback), MidiIn = r.GetValue(MidiIn),
        OscPort = r.GetValue(OscPort), OscTcpPort = r.GetValue(OscTcpPort), OscBind = r.GetValue(OscBind), OscAllow = r.GetValue(OscAllow),
        OscFeedbackPort = r.GetValue(OscFeedbackPort), Output = r.GetResult(Output) is null ? null : r.GetValue(Output),
        Format = r.GetResult(Format) is null ? SampleFormat.Float32 : r.GetValue(Format), Reloads = r.GetValue(Reloads) ?? [],
        MidiFile = r.GetValue(Midi), ShowLog = r.GetValue(Log), Python = r.GetValue(Python), Verbose = r.GetValue(Verbose),
        Sync = r.GetValue(Sync), ReloadAt = r.GetValue(ReloadAt), MidiClockOut = r.GetValue(MidiClockOut),
        JackTransportMaster = r.GetValue(JackTransportMaster),
    };
}
