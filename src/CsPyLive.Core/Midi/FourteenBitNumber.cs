namespace CsPyLive.Midi;

/// <summary>A 14-bit MIDI value (pitch bend), 0..16383, centre 8192. Out-of-range values throw.</summary>
public readonly record struct FourteenBitNumber
{
    public const ushort MaxValue = 16383;
    public const ushort Centre = 8192;

    public FourteenBitNumber(int value)
    {
        if ((uint)value > MaxValue) throw new ArgumentOutOfRangeException(nameof(value), value, "a 14-bit MIDI value is 0..16383");
        Value = (ushort)value;
    }

    public ushort Value { get; }

    /// <summary>From the two data bytes, least significant first (as pitch bend sends them).</summary>
    public static FourteenBitNumber FromBytes(SevenBitNumber lsb, SevenBitNumber msb) => new(lsb.Value | (msb.Value << 7));

    /// <summary>-1..1 with the centre at 0: below the centre divides by 8192, above by 8191, so both ends are reachable.</summary>
    public double Bipolar => Value >= Centre ? (Value - Centre) / 8191.0 : (Value - Centre) / 8192.0;

    public override string ToString() => Value.ToString();
}
