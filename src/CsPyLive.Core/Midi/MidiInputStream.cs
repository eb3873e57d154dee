using CsPyLive.Csound;

namespace CsPyLive.Midi;

/// <summary>
/// A live raw MIDI input (the JACK port): parses its bytes and sends each message to a destination at the engine
/// frame <c>engine.OutputFrame + frameOffset</c>, so every event sounds exactly one period after it was stamped,
/// wherever in the period it arrived. Runs on the audio thread, allocation-free.
/// </summary>
public sealed class MidiInputStream(Engine engine, IMidiDestination destination) : IRawMidiReceiver
{
    private readonly MidiStreamParser parser = new();
    private long bytes;

    /// <summary>Malformed bytes dropped by the parser.</summary>
    public long Dropped => parser.Dropped;

    public long Bytes => Interlocked.Read(ref bytes);

    public void Receive(ReadOnlySpan<byte> data, int frameOffset)
    {
        var frame = engine.OutputFrame + frameOffset;
        foreach (var b in data)
            if (parser.Feed(b, out var message)) destination.Send(message, frame);
        Interlocked.Add(ref bytes, data.Length);
    }

    /// <summary>
    /// After an outage: a key released while the server was away would otherwise leave its note sounding for the
    /// rest of the show, so every note this input started is released (as a panic does) and the parser starts afresh.
    /// </summary>
    public void Restart()
    {
        parser.Reset();
        destination.Panic();
    }
}
