using System.Globalization;

namespace CsPyLive.Sync;

/// <summary>
/// Where a quantized action lands (<c>quantize: beat|bar|&lt;beats&gt;</c> on an OSC route, <c>/event/q</c>): the next
/// beat, the next bar, or the next multiple of a number of beats of the beat clock's timeline. A plain value.
/// </summary>
public readonly record struct Quantization(QuantizeTo To, double Beats = 0)
{
    public static readonly Quantization None = new(QuantizeTo.None);

    public bool IsNone => To == QuantizeTo.None && Beats <= 0;

    /// <summary>Beats between boundaries for a clock with <paramref name="quantum"/> beats a bar; 0 for none.</summary>
    public double Unit(double quantum) => To switch
    {
        QuantizeTo.Bar => quantum,
        QuantizeTo.Beat => 1,
        _ => Beats,
    };

    /// <summary>"beat", "bar" or a positive number of beats (e.g. 0.5, 2); throws <see cref="FormatException"/> otherwise.</summary>
    public static Quantization Parse(string text) => TryParse(text, out var q) ? q
        : throw new FormatException($"quantize is beat, bar or a number of beats (e.g. 0.5), not '{text}'");

    public static bool TryParse(ReadOnlySpan<char> text, out Quantization quantization)
    {
        quantization = None;
        var t = text.Trim();
        if (t.Equals("beat", StringComparison.OrdinalIgnoreCase)) { quantization = new(QuantizeTo.Beat); return true; }
        if (t.Equals("bar", StringComparison.OrdinalIgnoreCase)) { quantization = new(QuantizeTo.Bar); return true; }
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var beats) && beats > 0 && beats <= 64)
        {
            quantization = new(QuantizeTo.None, beats);
            return true;
        }
        return false;
    }
}
