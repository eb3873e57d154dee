using System.Runtime.InteropServices;
using static CsPyLive.Audio.Jack.Interop.Jack;

namespace CsPyLive.Audio;

/// <summary>
/// Fills a MIDI output port once a period, inside the audio callback, after the period was computed.
/// Implementations must not allocate, block or throw.
/// </summary>
public interface IMidiOutputSource
{
    /// <summary>Writes this period's events into <paramref name="output"/>, in time order.</summary>
    void WriteMidi(MidiOutputBuffer output);
}

/// <summary>
/// One period of a MIDI output port: events are placed at a frame offset inside the period
/// (<c>jack_midi_event_write</c>). Valid only inside the callback that was given it: a ref struct cannot be kept.
/// </summary>
public readonly unsafe ref struct MidiOutputBuffer
{
    private readonly void* buffer;
    private readonly Span<byte> recorded; // tests: each message as (offset lo, offset hi, length, bytes), when no JACK buffer
    private readonly int[]? count;

    internal MidiOutputBuffer(void* jackBuffer, int frames)
    {
        buffer = jackBuffer;
        Frames = frames;
        recorded = default;
        count = null;
    }

    /// <summary>A buffer that records messages into <paramref name="record"/> (each: offset as 16 bits, length, bytes; <paramref name="written"/>[0] counts the bytes); for tests.</summary>
    public MidiOutputBuffer(int frames, Span<byte> record, int[] written)
    {
        buffer = null;
        Frames = frames;
        recorded = record;
        count = written;
    }

    /// <summary>Pins <paramref name="message"/> as <see cref="Write"/> does (to compile that ahead, see RealtimeCode).</summary>
    internal static byte Pin(ReadOnlySpan<byte> message)
    {
        fixed (byte* data = message) return data is null ? (byte)0 : *data;
    }

    /// <summary>Frames in the period.</summary>
    public int Frames { get; }

    /// <summary>Writes the bytes of one message at <paramref name="offset"/> (0..Frames-1, not before the last); false when the port is full.</summary>
    public bool Write(int offset, ReadOnlySpan<byte> message)
    {
        if (buffer is null)
        {
            var at = count![0];
            if (at + 3 + message.Length > recorded.Length) return false;
            recorded[at] = (byte)offset;
            recorded[at + 1] = (byte)(offset >> 8);
            recorded[at + 2] = (byte)message.Length;
            message.CopyTo(recorded[(at + 3)..]);
            count[0] = at + 3 + message.Length;
            return true;
        }
        fixed (byte* data = message)
            return jack_midi_event_write(buffer, (uint)offset, data, (nuint)message.Length) == 0;
    }
}
