namespace CsPyLive.Midi;

/// <summary>What a <see cref="MidiMessage"/> is.</summary>
public enum MidiMessageKind : byte
{
    NoteOff,
    /// <summary>A note-on with velocity above 0 (a note-on with velocity 0 is parsed as <see cref="NoteOff"/>).</summary>
    NoteOn,
    PolyPressure,
    ControlChange,
    ProgramChange,
    ChannelPressure,
    PitchBend,
    /// <summary>0xF1..0xF6: MTC quarter frame, song position, song select, tune request.</summary>
    SystemCommon,
    /// <summary>0xF8..0xFF: clock, start, continue, stop, active sensing, reset; may arrive inside other messages.</summary>
    Realtime,
    /// <summary>A complete SysEx (0xF0 ... 0xF7), however many chunks it came in; <see cref="MidiMessage.SysExLength"/> data bytes.</summary>
    SysEx,
}

/// <summary>
/// One complete MIDI message as a small value (no payload array, so it crosses threads without allocation). SysEx
/// bodies are not kept, only their length: nothing in the host consumes them.
/// </summary>
public readonly record struct MidiMessage
{
    public MidiMessage(MidiMessageKind kind, byte status, SevenBitNumber data1 = default, SevenBitNumber data2 = default, int sysExLength = 0)
    {
        Kind = kind;
        Status = status;
        Data1 = data1;
        Data2 = data2;
        SysExLength = sysExLength;
    }

    public MidiMessageKind Kind { get; }
    /// <summary>The status byte as received (0x90 for a note-on on channel 1, even when <see cref="Kind"/> says NoteOff).</summary>
    public byte Status { get; }
    public SevenBitNumber Data1 { get; }
    public SevenBitNumber Data2 { get; }
    public int SysExLength { get; }

    public bool IsChannelMessage => Kind <= MidiMessageKind.PitchBend;
    public MidiChannel Channel => MidiChannel.FromStatus(Status);
    public SevenBitNumber Note => Data1;
    public SevenBitNumber Velocity => Data2;
    public SevenBitNumber Controller => Data1;
    public SevenBitNumber ControlValue => Data2;
    public FourteenBitNumber Bend => FourteenBitNumber.FromBytes(Data1, Data2);

    public static MidiMessage NoteOn(MidiChannel ch, int note, int velocity) =>
        new(velocity == 0 ? MidiMessageKind.NoteOff : MidiMessageKind.NoteOn, (byte)(0x90 | ch.Index), new(note), new(velocity));

    public static MidiMessage NoteOff(MidiChannel ch, int note, int velocity = 0) =>
        new(MidiMessageKind.NoteOff, (byte)(0x80 | ch.Index), new(note), new(velocity));

    public static MidiMessage ControlChange(MidiChannel ch, int controller, int value) =>
        new(MidiMessageKind.ControlChange, (byte)(0xB0 | ch.Index), new(controller), new(value));

    public static MidiMessage PitchBend(MidiChannel ch, int value14) =>
        new(MidiMessageKind.PitchBend, (byte)(0xE0 | ch.Index), new(value14 & 0x7F), new(value14 >> 7));

    /// <summary>Bytes per status byte for channel and system-common messages (data bytes after the status).</summary>
    internal static int DataBytesFor(byte status) => status switch
    {
        < 0x80 => -1,
        < 0xC0 => 2,
        < 0xE0 => 1,
        < 0xF0 => 2,
        0xF1 or 0xF3 => 1,
        0xF2 => 2,
        _ => 0,
    };

    /// <summary>The wire bytes of a channel or system-common message (full status, no running status); 0 for others.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (Kind == MidiMessageKind.SysEx) return 0;
        var n = Kind == MidiMessageKind.Realtime ? 0 : DataBytesFor(Status);
        if (n < 0 || destination.Length < n + 1) return 0;
        destination[0] = Status;
        if (n > 0) destination[1] = Data1;
        if (n > 1) destination[2] = Data2;
        return n + 1;
    }

    internal static MidiMessageKind KindOf(byte status, byte data2) => (status & 0xF0) switch
    {
        0x80 => MidiMessageKind.NoteOff,
        0x90 => data2 == 0 ? MidiMessageKind.NoteOff : MidiMessageKind.NoteOn,
        0xA0 => MidiMessageKind.PolyPressure,
        0xB0 => MidiMessageKind.ControlChange,
        0xC0 => MidiMessageKind.ProgramChange,
        0xD0 => MidiMessageKind.ChannelPressure,
        0xE0 => MidiMessageKind.PitchBend,
        _ => status >= 0xF8 ? MidiMessageKind.Realtime : MidiMessageKind.SystemCommon,
    };
}
