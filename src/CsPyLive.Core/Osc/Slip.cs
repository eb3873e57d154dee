namespace CsPyLive.Osc;

/// <summary>
/// SLIP framing (RFC 1055) as OSC 1.1 uses it over TCP: END (0xC0) ends a packet (and may start one), ESC (0xDB)
/// escapes END as ESC ESC_END (0xDC) and ESC as ESC ESC_ESC (0xDD).
/// </summary>
public static class Slip
{
    public const byte End = 0xC0, Esc = 0xDB, EscEnd = 0xDC, EscEsc = 0xDD;

    /// <summary>Encodes one packet as END payload END. Returns the bytes written (at most 2 · length + 2).</summary>
    public static int Encode(ReadOnlySpan<byte> packet, Span<byte> output)
    {
        var n = 0;
        output[n++] = End;
        foreach (var b in packet)
        {
            if (b == End) { output[n++] = Esc; output[n++] = EscEnd; }
            else if (b == Esc) { output[n++] = Esc; output[n++] = EscEsc; }
            else output[n++] = b;
        }
        output[n++] = End;
        return n;
    }
}

/// <summary>Reassembles SLIP-framed packets from a byte stream, in a fixed buffer. A packet too big is dropped whole.</summary>
public sealed class SlipDecoder(int maxPacket = 65536)
{
    private readonly byte[] packet = new byte[maxPacket];
    private int length;
    private bool escaped;
    private bool overflow;

    /// <summary>Packets dropped because they were bigger than the buffer.</summary>
    public long Oversized { get; private set; }

    /// <summary>Feeds stream bytes; calls <paramref name="onPacket"/> for each complete, non-empty packet.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, Action<byte[], int> onPacket)
    {
        foreach (var b in bytes)
        {
            if (b == Slip.End)
            {
                if (overflow) Oversized++;
                else if (length > 0) onPacket(packet, length);
                length = 0;
                escaped = overflow = false;
                continue;
            }
            var value = b;
            if (escaped)
            {
                value = b == Slip.EscEnd ? Slip.End : b == Slip.EscEsc ? Slip.Esc : b;
                escaped = false;
            }
            else if (b == Slip.Esc)
            {
                escaped = true;
                continue;
            }
            if (length == packet.Length) overflow = true;
            else packet[length++] = value;
        }
    }
}
