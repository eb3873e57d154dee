namespace CsPyLive.Midi;

/// <summary>
/// A MIDI channel. <see cref="Index"/> is the wire value 0..15; <see cref="Number"/> is what people and patch.yaml
/// say, 1..16. Out-of-range values throw.
/// </summary>
public readonly record struct MidiChannel
{
    public const int Count = 16;

    private MidiChannel(byte index) => Index = index;

    public byte Index { get; }
    public int Number => Index + 1;

    /// <summary>From the wire value 0..15.</summary>
    public static MidiChannel FromIndex(int index) =>
        (uint)index < Count ? new((byte)index) : throw new ArgumentOutOfRangeException(nameof(index), index, "a MIDI channel index is 0..15");

    /// <summary>From the human number 1..16.</summary>
    public static MidiChannel FromNumber(int number) =>
        number is >= 1 and <= Count ? new((byte)(number - 1)) : throw new ArgumentOutOfRangeException(nameof(number), number, "a MIDI channel is 1..16");

    internal static MidiChannel FromStatus(byte status) => new((byte)(status & 0x0F));

    public override string ToString() => Number.ToString();
}
