namespace CsPyLive.Audio;

/// <summary>
/// Takes raw MIDI bytes from a device inside the audio callback, before the engine processes the period.
/// Implementations must not allocate, block or throw.
/// </summary>
public interface IRawMidiReceiver
{
    /// <summary>Bytes that arrived at <paramref name="frameOffset"/> frames into the period about to be processed.</summary>
    void Receive(ReadOnlySpan<byte> bytes, int frameOffset);
}
