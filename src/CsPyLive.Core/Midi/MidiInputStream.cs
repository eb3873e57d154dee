using CsPyLive.Audio;
using CsPyLive.Inputs;

namespace CsPyLive.Midi;

/// <summary>
/// A live MIDI input (the JACK port <c>midi_in</c>): parses the bytes the backend hands over inside each period's
/// callback and sends each message to a destination at the frame of its offset in that period
/// (<see cref="ActionSink.AtOffset"/>), so every event sounds exactly one period after it was stamped, wherever in
/// the period it arrived.
/// </summary>
/// <remarks>
/// Threads: <see cref="Receive"/> on the audio thread, allocation-free; <see cref="ForgetHeld"/> from any thread
/// (the parser is reset by the audio thread itself, at the next <see cref="Receive"/>); the rest on the control thread.
/// </remarks>
public sealed class MidiInputStream(ActionSink sink, IMidiDestination destination, Action<string>? warn = null) : IRawMidiReceiver, IShowInput
{
    private IAudioBackend? backend;
    private int sources = -1;
    private readonly MidiStreamParser parser = new();
    private long bytes;
    private int resetPending;
    private string port = "";

    /// <summary>Malformed bytes dropped by the parser.</summary>
    public long Dropped => parser.Dropped;

    public long Bytes => Interlocked.Read(ref bytes);

    public void Attach(IAudioBackend backend)
    {
        port = backend.OpenMidiInput(this)
            ?? throw new InputUnavailableException($"--midi-in jack needs a running JACK server: the {backend.Name} backend has no MIDI input");
        this.backend = backend;
    }

    public void Receive(ReadOnlySpan<byte> data, int frameOffset)
    {
        if (Volatile.Read(ref resetPending) != 0 && Interlocked.Exchange(ref resetPending, 0) != 0) parser.Reset();
        var frame = sink.AtOffset(frameOffset);
        foreach (var b in data)
            if (parser.Feed(b, out var message)) destination.Send(message, frame);
        Interlocked.Add(ref bytes, data.Length);
    }

    /// <summary>
    /// Releases every note this input started (as a panic does) and starts the parser afresh. After an outage a key
    /// released while the server was away would otherwise leave its note sounding for the rest of the show.
    /// </summary>
    public void ForgetHeld()
    {
        Interlocked.Exchange(ref resetPending, 1);
        destination.ReleaseAll();
    }

    /// <summary>
    /// Control thread. When the last source leaves the port (a keyboard unplugged, a sequencer quit) with notes still
    /// sounding, their note-offs can never come: they are released, once, with a word. A server outage is the
    /// show's business (<see cref="ForgetHeld"/>), so an unknown count (-1) changes nothing.
    /// </summary>
    public void Tick()
    {
        if (backend is null) return;
        var now = backend.MidiInputSources;
        if (now == 0 && sources > 0 && destination.NotesSounding is var held and > 0)
        {
            ForgetHeld();
            warn?.Invoke($"MIDI in: the last source left {port} with {held} note(s) held; released them");
        }
        if (now >= 0) sources = now;
    }

    public InputReport Describe() =>
        new(InputKind.Midi, $"MIDI in from {port} to {destination.Description}", destination.Received, Dropped, destination.NotesSounding);

    public void Dispose() { }
}
