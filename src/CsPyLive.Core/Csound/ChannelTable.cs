using static CsPyLive.Csound.Interop.Csound;

namespace CsPyLive.Csound;

/// <summary>
/// Control channels by slot: a name is looked up (and created) in Csound once, on a control thread, and its value
/// pointer kept in a flat array, so the audio thread reads and writes a channel with one array read and no lookup.
/// </summary>
/// <remarks>
/// Threads: <see cref="Slot"/> on control threads (serialised by a lock; publishes the pointer with a volatile write);
/// <see cref="Read"/> from any thread (a plain 8-byte read, tearing-free on 64-bit); <see cref="Write"/> from the
/// performing thread, at k-boundaries.
/// </remarks>
internal sealed unsafe class ChannelTable(nint csound)
{
    public const int Capacity = 8192; // MIDI alone makes 16 x 131 channels

    private readonly nint[] pointers = new nint[Capacity];
    private readonly Dictionary<string, int> slots = new(StringComparer.Ordinal);
    private readonly List<string> names = [];

    /// <summary>The name of a slot <see cref="Slot"/> gave out. Control threads.</summary>
    public string Name(int slot)
    {
        lock (slots) return names[slot];
    }

    public int Slot(string name)
    {
        lock (slots)
        {
            if (slots.TryGetValue(name, out var slot)) return slot;
            if (slots.Count == Capacity) throw new InvalidOperationException($"more than {Capacity} channels");
            double* p;
            if (csoundGetChannelPtr(csound, &p, name, CSOUND_CONTROL_CHANNEL | CSOUND_INPUT_CHANNEL | CSOUND_OUTPUT_CHANNEL) != 0)
                throw new CsoundException($"channel '{name}' exists with another type");
            slot = slots.Count;
            Volatile.Write(ref pointers[slot], (nint)p);
            slots[name] = slot;
            names.Add(name);
            return slot;
        }
    }

    public double Read(int slot) => *(double*)Volatile.Read(ref pointers[slot]);

    public void Write(int slot, double value) => *(double*)pointers[slot] = value;
}
