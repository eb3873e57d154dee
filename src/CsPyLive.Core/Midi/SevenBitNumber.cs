namespace CsPyLive.Midi;

/// <summary>A MIDI data value, 0..127. Constructing one out of range throws; the parser only makes valid ones.</summary>
public readonly record struct SevenBitNumber
{
    public const byte MaxValue = 127;

    public SevenBitNumber(int value)
    {
        if ((uint)value > MaxValue) throw new ArgumentOutOfRangeException(nameof(value), value, "a MIDI data value is 0..127");
        Value = (byte)value;
    }

    private SevenBitNumber(byte value, bool _) => Value = value;

    public byte Value { get; }

    /// <summary>For bytes already known to be below 0x80 (the parser's data bytes): no check.</summary>
    internal static SevenBitNumber FromDataByte(byte b) => new((byte)(b & 0x7F), true);

    public static implicit operator byte(SevenBitNumber n) => n.Value;
    public static explicit operator SevenBitNumber(int value) => new(value);
    public override string ToString() => Value.ToString();
}
