using CsPyLive.Csound;
using CsPyLive.Inputs;

namespace CsPyLive.Midi;

/// <summary>
/// Feeds MIDI into Csound's own MIDI system (host-implemented MIDI I/O, <see cref="Engine.EnableHostMidiInput"/>), so
/// orchestras written for <c>-M</c> (massign, cpsmidi, veloc, midictrl, pgmassign...) work unchanged.
/// </summary>
/// <remarks>
/// <see cref="Send"/> re-serialises each message with its full status byte (so Csound never sees running status or
/// realtime bytes in the middle of a message) and queues it with its frame; Csound's read callback, inside
/// csoundPerformKsmps, takes only the bytes due in that k-cycle, so timing is k-cycle exact as with the note router.
/// SysEx and realtime messages are not forwarded. Threads as <see cref="IMidiDestination"/> says.
/// </remarks>
public sealed class CsoundMidiInput : IMidiDestination
{
    private readonly Engine engine;
    private long received;

    private CsoundMidiInput(Engine engine) => this.engine = engine;

    /// <summary>Routes <paramref name="engine"/>'s MIDI input to us. Control thread, before <see cref="Engine.Start"/>.</summary>
    public static CsoundMidiInput Attach(Engine engine)
    {
        engine.EnableHostMidiInput();
        return new CsoundMidiInput(engine);
    }

    /// <summary>True once Csound opened our input (at <see cref="Engine.Start"/>).</summary>
    public bool Opened => engine.HostMidiInputOpened;

    public long Received => Interlocked.Read(ref received);

    /// <summary>Messages lost because the queue was full.</summary>
    public long Dropped => engine.HostMidiDropped;

    public string Description => "Csound's MIDI";

    public bool HasRoom => engine.HostMidiRoom > 0;

    /// <summary>Csound's MIDI system keeps its own notes: not counted here.</summary>
    public int NotesSounding => 0;

    public void Send(in MidiMessage message, long frame)
    {
        Interlocked.Increment(ref received);
        if (!message.IsChannelMessage && message.Kind != MidiMessageKind.SystemCommon) return;
        Span<byte> b = stackalloc byte[3];
        var n = message.WriteTo(b);
        if (n > 0) engine.SendMidi(b[..n], frame);
    }

    /// <summary>Sustain off, all notes off and all sound off on every channel, at the next k-cycle. Any thread.</summary>
    public void ReleaseAll()
    {
        for (var c = 0; c < MidiChannel.Count; c++)
        {
            var ch = MidiChannel.FromIndex(c);
            Send(MidiMessage.ControlChange(ch, 64, 0), ActionSink.Now);
            Send(MidiMessage.ControlChange(ch, 123, 0), ActionSink.Now);
            Send(MidiMessage.ControlChange(ch, 120, 0), ActionSink.Now);
        }
    }
}
