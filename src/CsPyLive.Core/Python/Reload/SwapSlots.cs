using CsPyLive.Python.CPython;

namespace CsPyLive.Python.Reload;

/// <summary>
/// Code objects on their way to the audio thread: <see cref="Capacity"/> slots, each with the file it came from and
/// when its save was seen. The control thread claims and fills a slot; a swap action carries the slot's number; the
/// audio thread takes the code out (it may find it gone: a slot reused 16 saves later, or superseded).
/// </summary>
/// <remarks>Threads: <see cref="Claim"/>, <see cref="Hand"/>, <see cref="ReleaseAll"/> on a control thread with the
/// GIL held, one at a time (the reloader's submit lock); <see cref="Take"/> on the audio thread; the code pointer
/// crosses with an interlocked exchange, so exactly one side owns it.</remarks>
internal sealed class SwapSlots
{
    public const int Capacity = 16;

    private readonly Slot[] slots = Enumerable.Range(0, Capacity).Select(_ => new Slot()).ToArray();
    private int next;
    private int pending;

    public sealed class Slot
    {
        /// <summary>The unmarshalled module code (an owned PyObject*), handed to the audio thread; 0 when taken.</summary>
        public nint CodeObject;
        public string Path = "";
        public long SeenAt;
        /// <summary>The top-level functions and classes the file defines (<see cref="ModuleDefinitions"/>).</summary>
        public string[] Defines = [];
        /// <summary>Ticks the audio thread may have waited while an attempt in the gap was undone (added to its stall).</summary>
        public long OverrunTicks;
        /// <summary>The marshalled code as compiled, for the show log (a replay runs exactly this).</summary>
        public byte[] Marshalled = [];
    }

    public Slot this[int index] => slots[index];

    /// <summary>Swaps handed to the audio thread and not applied yet. Any thread.</summary>
    public int Pending => Volatile.Read(ref pending);

    /// <summary>The next slot, emptied (a swap never applied, 16 saves ago, is dropped) and labelled. GIL held.</summary>
    public int Claim(string path, long seenAt, string[] defines)
    {
        var index = next++ % Capacity;
        Release(slots[index]);
        var slot = slots[index];
        slot.Path = path;
        slot.SeenAt = seenAt;
        slot.Defines = defines;
        slot.OverrunTicks = 0;
        slot.Marshalled = [];
        return index;
    }

    /// <summary>Gives <paramref name="code"/> (owned) to the audio thread through slot <paramref name="index"/>.</summary>
    public void Hand(int index, nint code)
    {
        Interlocked.Increment(ref pending);
        Volatile.Write(ref slots[index].CodeObject, code);
    }

    /// <summary>Audio thread: the slot's code (the caller owns it now), or 0 if it was superseded.</summary>
    public nint Take(int index)
    {
        var code = Interlocked.Exchange(ref slots[index].CodeObject, 0);
        if (code != 0) Interlocked.Decrement(ref pending);
        return code;
    }

    /// <summary>Drops every slot's code the audio thread never took. GIL held, the audio thread stopped.</summary>
    public void ReleaseAll()
    {
        foreach (var slot in slots) Release(slot);
    }

    private void Release(Slot slot)
    {
        var code = Interlocked.Exchange(ref slot.CodeObject, 0);
        if (code == 0) return;
        PyApi.Py_DecRef(code);
        Interlocked.Decrement(ref pending);
    }
}
