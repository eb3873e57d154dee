namespace CsPyLive.Midi;

/// <summary>
/// Turns a raw MIDI 1.0 byte stream (a serial port, a JACK MIDI port, a file's track data) into complete messages,
/// one byte at a time, allocating nothing.
/// </summary>
/// <remarks>
/// <para>Handles running status (data bytes after a complete channel message reuse its status), realtime bytes
/// (0xF8..0xFF) anywhere, even between a message's data bytes or inside SysEx, without disturbing it, and SysEx split
/// over any number of chunks (the state lives here, between calls). A note-on with velocity 0 is a
/// <see cref="MidiMessageKind.NoteOff"/>.</para>
/// <para>Malformed input is dropped byte by byte and counted in <see cref="Dropped"/>, never thrown: data bytes with
/// no status, a stray 0xF7, undefined 0xF4/0xF5/0xF9/0xFD, and a message cut short by a new status (its bytes so far
/// are lost, the new status starts cleanly). A SysEx interrupted by a status byte is abandoned (counted) and not
/// reported. One parser per stream, used by one thread at a time.</para>
/// </remarks>
public sealed class MidiStreamParser
{
    private byte status;        // running status, or the system-common status awaiting data; 0 = none
    private byte data1;
    private int have;           // data bytes held for the current message
    private int expected;
    private bool statusUnused;  // a status byte came and no message has completed with it yet
    private bool inSysEx;
    private int sysExLength;

    /// <summary>Bytes (or half-received messages) thrown away as malformed since construction.</summary>
    public long Dropped { get; private set; }

    /// <summary>True while inside a SysEx that has not ended yet.</summary>
    public bool InSysEx => inSysEx;

    /// <summary>Forgets any partial message and the running status (e.g. after a port reconnects).</summary>
    public void Reset()
    {
        status = 0;
        statusUnused = false;
        have = 0;
        inSysEx = false;
        sysExLength = 0;
    }

    /// <summary>Takes one byte; true when it completed a message, returned in <paramref name="message"/>.</summary>
    public bool Feed(byte b, out MidiMessage message)
    {
        message = default;
        if (b >= 0xF8)
        {
            if (b is 0xF9 or 0xFD) { Dropped++; return false; } // undefined realtime
            message = new MidiMessage(MidiMessageKind.Realtime, b);
            return true;
        }
        if (b == 0xF0)
        {
            AbandonPartial();
            status = 0;
            inSysEx = true;
            sysExLength = 0;
            return false;
        }
        if (b == 0xF7)
        {
            if (!inSysEx) { Dropped++; return false; }
            inSysEx = false;
            message = new MidiMessage(MidiMessageKind.SysEx, 0xF0, sysExLength: sysExLength);
            return true;
        }
        if (b >= 0x80)
        {
            AbandonPartial();
            if (b is 0xF4 or 0xF5) { Dropped++; status = 0; return false; } // undefined system common
            status = b;
            statusUnused = true;
            have = 0;
            expected = MidiMessage.DataBytesFor(b);
            if (expected == 0) // tune request 0xF6: complete at once, and it cancels running status
            {
                status = 0;
                message = new MidiMessage(MidiMessageKind.SystemCommon, b);
                return true;
            }
            return false;
        }
        // A data byte.
        if (inSysEx) { sysExLength++; return false; }
        if (status == 0) { Dropped++; return false; }
        if (have == 0 && expected == 2)
        {
            data1 = b;
            have = 1;
            return false;
        }
        var first = expected == 1 ? b : data1;
        var second = expected == 1 ? (byte)0 : b;
        message = new MidiMessage(MidiMessage.KindOf(status, second), status,
            SevenBitNumber.FromDataByte(first), SevenBitNumber.FromDataByte(second));
        have = 0;
        statusUnused = false;
        if (status >= 0xF0) status = 0; // system common has no running status
        return true;
    }

    /// <summary>A status byte arrived: whatever was half-received is lost, and counted.</summary>
    private void AbandonPartial()
    {
        if (inSysEx)
        {
            Dropped += sysExLength + 1;
            inSysEx = false;
        }
        else if (have > 0 || (statusUnused && status != 0))
        {
            Dropped += have + 1;
        }
        have = 0;
        statusUnused = false;
    }
}
