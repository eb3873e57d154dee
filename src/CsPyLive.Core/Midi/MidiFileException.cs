namespace CsPyLive.Midi;

/// <summary>A Standard MIDI File that cannot be read; the message names the byte offset where it went wrong.</summary>
public sealed class MidiFileException(string message, long offset) : IOException(message)
{
    /// <summary>Byte offset in the file where the problem was found.</summary>
    public long Offset { get; } = offset;
}
