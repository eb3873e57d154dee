
namespace CsPyLive.Csound;

/// <summary>What the audio thread did to the performance at a k-boundary, as the show log keeps it.</summary>
public enum AppliedKind : byte
{
    /// <summary>A score event: <see cref="AppliedEntry.Sub"/> is its letter, <see cref="AppliedEntry.Count"/> p-fields.</summary>
    Event,
    /// <summary>A control channel write: slot in <see cref="AppliedEntry.Index"/>, the value.</summary>
    Channel,
    /// <summary>Every instance of instrument <see cref="AppliedEntry.Value"/> turned off (fractional: one instance).</summary>
    TurnOff,
    /// <summary>A Python global set to a number: name index in <see cref="AppliedEntry.Index"/>, kind in <see cref="AppliedEntry.Sub"/>.</summary>
    PyNumber,
    /// <summary>A Python global set to a string, in chunks of bytes: <see cref="AppliedEntry.Sub"/> 1 while more follow.</summary>
    PyString,
    /// <summary>Python code run in <c>__main__</c> (<c>/py/exec</c>), in chunks like <see cref="PyString"/>.</summary>
    PyExec,
    /// <summary>MIDI bytes Csound read (the orchestra's own MIDI): <see cref="AppliedEntry.Count"/> bytes.</summary>
    Midi,
}

/// <summary>
/// One thing applied at the k-cycle starting at <see cref="Frame"/>: a fixed-size value, so the audio thread hands it
/// to the show log's writer through a ring without allocating. Bytes (strings, code, MIDI) travel in the p-field
/// storage, <see cref="ChunkBytes"/> at a time.
/// </summary>
public struct AppliedEntry
{
    public const int ChunkBytes = PFields.Capacity * sizeof(double);

    public long Frame;
    public AppliedKind Kind;
    public byte Sub;
    public short Count;
    public int Index;
    public double Value;
    public PFields P;
}
