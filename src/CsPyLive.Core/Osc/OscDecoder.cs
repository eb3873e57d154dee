using System.Buffers.Binary;

namespace CsPyLive.Osc;

/// <summary>Receives the messages of a decoded packet, each with the time tag of its innermost bundle.</summary>
public interface IOscMessageHandler
{
    /// <summary><paramref name="timeTag"/> is <see cref="OscTimeTag.Immediately"/> for a message outside any bundle.</summary>
    void OnMessage(in OscMessage message, ulong timeTag);
}

/// <summary>
/// Decodes OSC 1.0 packets with the OSC 1.1 types (i f s b; h d t c r m S; T F N I; arrays [ ]) and nested bundles.
/// </summary>
/// <remarks>
/// Allocation-free: every message is a view into the caller's buffer. A packet is validated whole first, so a
/// malformed element anywhere rejects the packet before any of its messages is delivered (a bundle applies all or
/// nothing). Malformed input of any kind yields an <see cref="OscError"/>, never an exception; the depth of bundles and
/// arrays is bounded, so no input can exhaust the stack.
/// </remarks>
public static class OscDecoder
{
    public const int MaxBundleDepth = 8;
    public const int MaxArrayDepth = 8;

    internal static ReadOnlySpan<byte> BundleTag => "#bundle\0"u8;

    /// <summary>Validates <paramref name="packet"/>, then hands each message to <paramref name="handler"/> (if any).</summary>
    public static OscError Decode(ReadOnlySpan<byte> packet, IOscMessageHandler? handler)
    {
        var wrapped = new ToInterface(handler);
        return Decode(packet, ref wrapped, deliver: handler is not null);
    }

    /// <summary>
    /// Validates <paramref name="packet"/>, then hands each message to <paramref name="handler"/>: a struct, so it can
    /// carry per-packet context (who sent it) without a field or an allocation.
    /// </summary>
    public static OscError Decode<THandler>(ReadOnlySpan<byte> packet, ref THandler handler, bool deliver = true)
        where THandler : struct, IOscMessageHandler
    {
        var error = Walk(packet, OscTimeTag.Immediately, ref handler, deliver: false, 0);
        if (error == OscError.None && deliver) Walk(packet, OscTimeTag.Immediately, ref handler, deliver: true, 0);
        return error;
    }

    private readonly struct ToInterface(IOscMessageHandler? handler) : IOscMessageHandler
    {
        public void OnMessage(in OscMessage message, ulong timeTag) => handler?.OnMessage(in message, timeTag);
    }

    private static OscError Walk<THandler>(ReadOnlySpan<byte> packet, ulong timeTag, ref THandler handler, bool deliver, int depth)
        where THandler : struct, IOscMessageHandler
    {
        if (packet.Length == 0 || packet.Length % 4 != 0) return OscError.BadSize;
        if (packet[0] != (byte)'#')
        {
            var error = ParseMessage(packet, out var message);
            if (error == OscError.None && deliver) handler.OnMessage(in message, timeTag);
            return error;
        }
        if (packet.Length < 16 || !packet[..8].SequenceEqual(BundleTag)) return OscError.BadBundle;
        if (depth >= MaxBundleDepth) return OscError.TooDeep;
        var bundleTag = BinaryPrimitives.ReadUInt64BigEndian(packet[8..]);
        var rest = packet[16..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < 4) return OscError.BadBundle;
            var size = BinaryPrimitives.ReadInt32BigEndian(rest);
            if (size <= 0 || size % 4 != 0 || size > rest.Length - 4) return OscError.BadBundle;
            var error = Walk(rest.Slice(4, size), bundleTag, ref handler, deliver, depth + 1);
            if (error != OscError.None) return error;
            rest = rest[(4 + size)..];
        }
        return OscError.None;
    }

    /// <summary>Parses and validates one message (not a bundle).</summary>
    public static OscError ParseMessage(ReadOnlySpan<byte> packet, out OscMessage message)
    {
        message = default;
        if (packet.Length == 0 || packet.Length % 4 != 0) return OscError.BadSize;
        if (packet[0] != (byte)'/') return OscError.BadAddress;
        var nul = packet.IndexOf((byte)0);
        if (nul < 0) return OscError.BadAddress;
        var address = packet[..nul];
        var tagsStart = Pad4(nul + 1);
        if (tagsStart >= packet.Length)
        {
            message = new OscMessage(address, default, default); // OSC 1.0 allows a message with no type tag string
            return OscError.None;
        }
        if (packet[tagsStart] != (byte)',') return OscError.BadTypeTags;
        var tagsNul = packet[tagsStart..].IndexOf((byte)0);
        if (tagsNul < 0) return OscError.BadTypeTags;
        var tags = packet.Slice(tagsStart + 1, tagsNul - 1);
        var dataStart = tagsStart + Pad4(tagsNul + 1);
        if (dataStart > packet.Length) return OscError.BadTypeTags;
        var data = packet[dataStart..];
        var error = Validate(tags, data);
        if (error == OscError.None) message = new OscMessage(address, tags, data);
        return error;
    }

    private static OscError Validate(ReadOnlySpan<byte> tags, ReadOnlySpan<byte> data)
    {
        var offset = 0;
        var depth = 0;
        foreach (var t in tags)
        {
            if (t == (byte)'[')
            {
                if (++depth > MaxArrayDepth) return OscError.BadArray;
                continue;
            }
            if (t == (byte)']')
            {
                if (depth-- == 0) return OscError.BadArray;
                continue;
            }
            var size = CheckedSize(t, data[offset..]);
            if (size < 0) return size == UnknownType ? OscError.UnknownType : OscError.Truncated;
            offset += size;
        }
        if (depth != 0) return OscError.BadArray;
        return offset == data.Length ? OscError.None : OscError.Truncated;
    }

    private const int UnknownType = -1;
    private const int TooShort = -2;

    private static int CheckedSize(byte type, ReadOnlySpan<byte> data)
    {
        int size;
        switch (type)
        {
            case (byte)'i' or (byte)'f' or (byte)'c' or (byte)'r' or (byte)'m': size = 4; break;
            case (byte)'h' or (byte)'d' or (byte)'t': size = 8; break;
            case (byte)'T' or (byte)'F' or (byte)'N' or (byte)'I': return 0;
            case (byte)'s' or (byte)'S':
                var nul = data.IndexOf((byte)0);
                if (nul < 0) return TooShort;
                size = Pad4(nul + 1);
                break;
            case (byte)'b':
                if (data.Length < 4) return TooShort;
                var length = BinaryPrimitives.ReadInt32BigEndian(data);
                if (length < 0 || length > data.Length - 4) return TooShort;
                size = 4 + Pad4(length);
                break;
            default: return UnknownType;
        }
        return size <= data.Length ? size : TooShort;
    }

    /// <summary>Size on the wire of an argument of a validated message.</summary>
    internal static int ArgumentSize(byte type, ReadOnlySpan<byte> data) => type switch
    {
        (byte)'[' or (byte)']' => 0,
        _ => CheckedSize(type, data),
    };

    internal static int Pad4(int n) => (n + 3) & ~3;
}
