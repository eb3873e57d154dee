namespace CsPyLive.Python.Reload;

/// <summary>
/// The newest <see cref="Capacity"/> snapshots of what good swaps replaced (owned PyObject* references), for rollbacks:
/// a fixed ring, so pushing on the audio thread never allocates and a long show of saves does not keep every old
/// version alive. Not thread-safe: callers hold the GIL.
/// </summary>
internal sealed class UndoHistory
{
    public const int Capacity = 64;
    private readonly nint[] items = new nint[Capacity];
    private int newest = -1;

    public int Count { get; private set; }

    /// <summary>Adds the newest snapshot; returns the oldest one it pushed out (the caller releases it), or 0.</summary>
    public nint Push(nint snapshot)
    {
        newest = (newest + 1) % Capacity;
        var evicted = Count == Capacity ? items[newest] : 0;
        items[newest] = snapshot;
        if (Count < Capacity) Count++;
        return evicted;
    }

    /// <summary>Takes the newest snapshot (the caller owns it), or 0 when there is none.</summary>
    public nint Pop()
    {
        if (Count == 0) return 0;
        var snapshot = items[newest];
        items[newest] = 0;
        newest = (newest + Capacity - 1) % Capacity;
        Count--;
        return snapshot;
    }
}
