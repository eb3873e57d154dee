using System.Runtime.InteropServices;
using CsPyLive.Realtime;

namespace CsPyLive.Csound;

/// <summary>
/// The audio thread's side of the show log: everything it applies to the performance at a k-boundary (score events,
/// channel writes, instruments turned off, Python assignments and code, the orchestra's MIDI bytes), stamped with
/// the first frame of that k-cycle, into a ring a control thread drains (<see cref="Replay.ShowLogWriter"/>).
/// </summary>
/// <remarks>
/// Recording at the point of application, not at the input, is what makes a replay exact: what a fader's
/// coalescing kept, where a time tag landed, what the MIDI router made of a note — all of it is already decided.
/// Threads: the record methods on the performing thread only, allocation-free and lock-free; a full ring drops the
/// entry and counts it (<see cref="Lost"/>), never waits. <see cref="TryTake"/> on one control thread.
/// </remarks>
public sealed class AppliedLog(Engine engine, int capacity = 1 << 15)
{
    private readonly BoundedQueue<AppliedEntry> ring = new(capacity);
    private long lost;

    /// <summary>Entries the ring had no room for: the replay may diverge after the first of them.</summary>
    public long Lost => Interlocked.Read(ref lost);

    public bool TryTake(out AppliedEntry entry) => ring.TryDequeue(out entry);

    /// <summary>A score event; <paramref name="frame"/>: where it starts, which in sample-accurate mode may be inside the k-cycle.</summary>
    public void Event(byte type, ReadOnlySpan<double> pfields, long frame)
    {
        var e = Entry(AppliedKind.Event, type, (short)pfields.Length, 0, 0);
        e.Frame = frame;
        pfields.CopyTo(e.P);
        Put(in e);
    }

    public void Channel(int slot, double value) => Put(Entry(AppliedKind.Channel, 0, 0, slot, value));

    public void TurnOff(double instrument) => Put(Entry(AppliedKind.TurnOff, 0, 0, 0, instrument));

    public void PyNumber(int name, double value, byte kind) => Put(Entry(AppliedKind.PyNumber, kind, 0, name, value));

    /// <summary>
    /// Bytes: a Python string for global <paramref name="index"/>, Python code (index -1), or MIDI bytes Csound read.
    /// In chunks of <see cref="AppliedEntry.ChunkBytes"/>, <see cref="AppliedEntry.Sub"/> 1 while more follow, so the
    /// writer joins them and a MIDI message is never cut in two.
    /// </summary>
    public void Bytes(AppliedKind kind, int index, ReadOnlySpan<byte> bytes)
    {
        do
        {
            var n = Math.Min(bytes.Length, AppliedEntry.ChunkBytes);
            var e = Entry(kind, (byte)(bytes.Length > n ? 1 : 0), (short)n, index, 0);
            bytes[..n].CopyTo(MemoryMarshal.AsBytes((Span<double>)e.P));
            Put(in e);
            bytes = bytes[n..];
        } while (!bytes.IsEmpty);
    }

    private AppliedEntry Entry(AppliedKind kind, byte sub, short count, int index, double value) =>
        new() { Frame = engine.FramesPerformed, Kind = kind, Sub = sub, Count = count, Index = index, Value = value };

    private void Put(in AppliedEntry e)
    {
        if (!ring.TryEnqueue(in e)) Interlocked.Increment(ref lost);
    }
}
