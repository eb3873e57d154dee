using System.Buffers.Binary;
using System.Text;

namespace CsPyLive.Tests.Midi;

/// <summary>Builds Standard MIDI Files byte by byte for tests, broken ones included.</summary>
public static class MidiFileBytes
{
    public static byte[] Header(int format, int tracks, int division, int length = 6)
    {
        var b = new byte[14];
        Encoding.ASCII.GetBytes("MThd").CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), (uint)length);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(8), (ushort)format);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(10), (ushort)tracks);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(12), (ushort)division);
        return b;
    }

    /// <summary>An MTrk chunk around <paramref name="events"/>; <paramref name="claimedLength"/> lets it lie.</summary>
    public static byte[] Track(byte[] events, int? claimedLength = null)
    {
        var b = new byte[8 + events.Length];
        Encoding.ASCII.GetBytes("MTrk").CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), (uint)(claimedLength ?? events.Length));
        events.CopyTo(b, 8);
        return b;
    }

    public static byte[] VarLength(long value)
    {
        var bytes = new List<byte> { (byte)(value & 0x7F) };
        while ((value >>= 7) > 0) bytes.Insert(0, (byte)(0x80 | (value & 0x7F)));
        return bytes.ToArray();
    }

    public static byte[] Tempo(int microsPerQuarter) => [0xFF, 0x51, 0x03, (byte)(microsPerQuarter >> 16), (byte)(microsPerQuarter >> 8), (byte)microsPerQuarter];

    public static readonly byte[] EndOfTrack = [0x00, 0xFF, 0x2F, 0x00];

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Delta time then the event bytes.</summary>
    public static byte[] At(long delta, params byte[] evt) => Concat(VarLength(delta), evt);

    public static string Write(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
