namespace CsPyLive.Midi;

/// <summary>
/// Takes raw MIDI bytes from a device inside the audio callback, before the engine processes the period.
/// Implementations must not allocate, block or throw.
/// </summary>
public interface IRawMidiReceiver
{
    /// <summary>Bytes that arrived at <paramref name="frameOffset"/> frames into the period about to be processed.</summary>
    void Receive(ReadOnlySpan<byte> bytes, int frameOffset);

    /// <summary>
    /// The device's stream was cut (its server went away and came back): forget any partial message, and release the
    /// notes it started, whose note-offs may have been lost with it. Called while no <see cref="Receive"/> runs.
    /// </summary>
    void Restart();
}
