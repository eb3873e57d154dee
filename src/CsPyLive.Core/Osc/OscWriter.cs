using System.Buffers.Binary;

namespace CsPyLive.Osc;

/// <summary>
/// Encodes OSC messages and bundles into a caller's buffer, allocation-free. Write the address and type tags, then
/// each argument in order; for a bundle, <see cref="BeginBundle"/> then <see cref="BeginElement"/> / <see cref="EndElement"/>
/// around each element. Throws <see cref="ArgumentOutOfRangeException"/> if the buffer is too small.
/// </summary>
public ref struct OscWriter(Span<byte> buffer)
{
    private readonly Span<byte> buffer = buffer;
    private int position;

    public readonly int Length => position;
    public readonly ReadOnlySpan<byte> Written => buffer[..position];

    public void WriteAddress(ReadOnlySpan<byte> address, ReadOnlySpan<byte> typeTags)
    {
        WriteString(address);
        var n = OscDecoder.Pad4(typeTags.Length + 2);
        var dst = buffer.Slice(position, n);
        dst.Clear();
        dst[0] = (byte)',';
        typeTags.CopyTo(dst[1..]);
        position += n;
    }

    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        var n = OscDecoder.Pad4(utf8.Length + 1);
        var dst = buffer.Slice(position, n);
        utf8.CopyTo(dst);
        dst[utf8.Length..].Clear();
        position += n;
    }

    public void WriteBlob(ReadOnlySpan<byte> bytes)
    {
        WriteInt32(bytes.Length);
        var n = OscDecoder.Pad4(bytes.Length);
        var dst = buffer.Slice(position, n);
        bytes.CopyTo(dst);
        dst[bytes.Length..].Clear();
        position += n;
    }

    public void WriteInt32(int value) { BinaryPrimitives.WriteInt32BigEndian(buffer.Slice(position, 4), value); position += 4; }
    public void WriteFloat32(float value) { BinaryPrimitives.WriteSingleBigEndian(buffer.Slice(position, 4), value); position += 4; }
    public void WriteInt64(long value) { BinaryPrimitives.WriteInt64BigEndian(buffer.Slice(position, 8), value); position += 8; }
    public void WriteFloat64(double value) { BinaryPrimitives.WriteDoubleBigEndian(buffer.Slice(position, 8), value); position += 8; }
    public void WriteTimeTag(ulong value) { BinaryPrimitives.WriteUInt64BigEndian(buffer.Slice(position, 8), value); position += 8; }

    public void BeginBundle(ulong timeTag)
    {
        OscDecoder.BundleTag.CopyTo(buffer[position..]);
        position += 8;
        WriteTimeTag(timeTag);
    }

    /// <summary>Reserves an element's size field; returns the mark to give <see cref="EndElement"/>.</summary>
    public int BeginElement()
    {
        var mark = position;
        position += 4;
        return mark;
    }

    public readonly void EndElement(int mark) =>
        BinaryPrimitives.WriteInt32BigEndian(buffer.Slice(mark, 4), position - mark - 4);
}
