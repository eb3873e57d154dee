using System.Buffers.Text;
using CsPyLive.Csound;

namespace CsPyLive.Osc;

/// <summary>
/// A score event with holes: <c>"i 2 0 0.5 $1 $2"</c> parsed once at load; <see cref="Fill"/> puts the message's
/// arguments into the holes without allocating. <c>$1</c> takes the route's scaled value, <c>$2</c>.. the raw arguments.
/// </summary>
public sealed class EventTemplate
{
    private readonly double[] constants;
    private readonly int[] holes; // argument number (1-based) for each p-field, 0 for a constant

    private EventTemplate(char type, double[] constants, int[] holes)
    {
        Type = type;
        this.constants = constants;
        this.holes = holes;
    }

    public char Type { get; }
    public int Count => constants.Length;

    /// <summary>p1 of an <c>i</c> event when the template gives it as a number (not <c>$N</c>); else null.</summary>
    public double? ConstantInstrument => Type == 'i' && holes[0] == 0 ? constants[0] : null;

    /// <summary>Parses a template; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static EventTemplate Parse(string text)
    {
        var parts = text.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts[0][0] is not ('i' or 'f'))
            throw new FormatException($"event '{text}': starts with i or f");
        var type = parts[0][0];
        var fields = parts[0].Length > 1 ? [parts[0][1..], .. parts[1..]] : parts[1..];
        if (fields.Length is 0 or > PFields.Capacity) throw new FormatException($"event '{text}': 1 to {PFields.Capacity} p-fields");
        var constants = new double[fields.Length];
        var holes = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].StartsWith('$') && int.TryParse(fields[i][1..], out var n) && n is >= 1 and <= PFields.Capacity) holes[i] = n;
            else if (!double.TryParse(fields[i], System.Globalization.CultureInfo.InvariantCulture, out constants[i]) || !double.IsFinite(constants[i]))
                throw new FormatException($"event '{text}': '{fields[i]}' is neither a number nor $N");
        }
        return new EventTemplate(type, constants, holes);
    }

    /// <summary>Fills <paramref name="pfields"/> (at least <see cref="Count"/> long); false if an argument is missing.</summary>
    public bool Fill(Span<double> pfields, ReadOnlySpan<double> arguments)
    {
        for (var i = 0; i < constants.Length; i++)
        {
            var hole = holes[i];
            if (hole == 0) pfields[i] = constants[i];
            else if (hole <= arguments.Length) pfields[i] = arguments[hole - 1];
            else return false;
        }
        return true;
    }

    /// <summary>
    /// Parses a score line such as <c>"i 2 0 0.5 440"</c> or <c>"i2 0 .5"</c> (i or f, numbers only) from UTF-8.
    /// Returns the number of p-fields, or -1. Allocation-free.
    /// </summary>
    public static int ParseScoreLine(ReadOnlySpan<byte> line, out char type, Span<double> pfields)
    {
        type = '\0';
        line = line.Trim(" \t"u8);
        if (line.IsEmpty || line[0] is not ((byte)'i' or (byte)'f')) return -1;
        type = (char)line[0];
        line = line[1..];
        var n = 0;
        while (true)
        {
            line = line.TrimStart(" \t"u8);
            if (line.IsEmpty) break;
            if (n == pfields.Length || !Utf8Parser.TryParse(line, out double value, out var used) || !double.IsFinite(value)) return -1;
            if (used < line.Length && line[used] is not ((byte)' ' or (byte)'\t')) return -1;
            pfields[n++] = value;
            line = line[used..];
        }
        return n == 0 ? -1 : n;
    }
}
