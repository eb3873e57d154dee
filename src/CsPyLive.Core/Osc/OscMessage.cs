using System.Buffers.Binary;

namespace CsPyLive.Osc;

/// <summary>
/// One decoded, validated OSC message: views into the receive buffer, valid only while that buffer is untouched (a
/// <c>ref struct</c>, so it cannot outlive the call that delivers it). Strings are UTF-8 bytes without their NUL.
/// </summary>
public readonly ref struct OscMessage(ReadOnlySpan<byte> address, ReadOnlySpan<byte> typeTags, ReadOnlySpan<byte> arguments)
{
    /// <summary>The address (or address pattern), e.g. <c>/1/fader1</c>.</summary>
    public ReadOnlySpan<byte> Address { get; } = address;

    /// <summary>The type tags after the ',' (empty for a message without arguments).</summary>
    public ReadOnlySpan<byte> TypeTags { get; } = typeTags;

    /// <summary>The argument bytes, big-endian and 4-byte aligned as on the wire.</summary>
    public ReadOnlySpan<byte> Arguments { get; } = arguments;

    /// <summary>Iterates the arguments ('[' and ']' come through as arguments of those types).</summary>
    public OscArgumentReader GetArguments() => new(TypeTags, Arguments);

    /// <summary>The first argument as a number, if it is one (see <see cref="OscArgument.TryGetDouble"/>).</summary>
    public bool TryGetFirstNumber(out double value)
    {
        var args = GetArguments();
        value = 0;
        return args.MoveNext(out var a) && a.TryGetDouble(out value);
    }
}

/// <summary>Walks a validated message's arguments in order. Allocation-free.</summary>
public ref struct OscArgumentReader(ReadOnlySpan<byte> typeTags, ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> typeTags = typeTags;
    private readonly ReadOnlySpan<byte> data = data;
    private int tag;
    private int offset;

    public bool MoveNext(out OscArgument argument)
    {
        if (tag >= typeTags.Length)
        {
            argument = default;
            return false;
        }
        var type = typeTags[tag++];
        var size = OscDecoder.ArgumentSize(type, data[offset..]);
        argument = new OscArgument(type, data.Slice(offset, size));
        offset += size;
        return true;
    }
}

/// <summary>One argument: its type tag and its bytes on the wire.</summary>
public readonly ref struct OscArgument(byte type, ReadOnlySpan<byte> data)
{
    public byte Type { get; } = type;
    public ReadOnlySpan<byte> Data { get; } = data;

    public bool IsString => Type is (byte)'s' or (byte)'S';

    /// <summary>The UTF-8 bytes of an 's' or 'S' argument, without the NUL and padding.</summary>
    public ReadOnlySpan<byte> StringBytes
    {
        get
        {
            var end = Data.IndexOf((byte)0);
            return end < 0 ? Data : Data[..end];
        }
    }

    /// <summary>A blob's bytes (without the size and padding).</summary>
    public ReadOnlySpan<byte> BlobBytes => Data.Slice(4, BinaryPrimitives.ReadInt32BigEndian(Data));

    public int Int32 => BinaryPrimitives.ReadInt32BigEndian(Data);
    public long Int64 => BinaryPrimitives.ReadInt64BigEndian(Data);
    public float Float32 => BinaryPrimitives.ReadSingleBigEndian(Data);
    public double Float64 => BinaryPrimitives.ReadDoubleBigEndian(Data);
    public ulong TimeTag => BinaryPrimitives.ReadUInt64BigEndian(Data);

    /// <summary>
    /// The argument as a number: i h f d as themselves, c as its code point, T as 1, F and N as 0, I (impulse) as 1.
    /// False for strings, blobs, time tags, colours, MIDI messages and array brackets.
    /// </summary>
    public bool TryGetDouble(out double value)
    {
        switch (Type)
        {
            case (byte)'i': value = Int32; return true;
            case (byte)'f': value = Float32; return true;
            case (byte)'h': value = Int64; return true;
            case (byte)'d': value = Float64; return true;
            case (byte)'c': value = Int32; return true;
            case (byte)'T' or (byte)'I': value = 1; return true;
            case (byte)'F' or (byte)'N': value = 0; return true;
            default: value = 0; return false;
        }
    }
}
