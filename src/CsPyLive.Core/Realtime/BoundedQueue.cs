using System.Runtime.InteropServices;

namespace CsPyLive.Realtime;

/// <summary>
/// A fixed-capacity, allocation-free queue of unmanaged records between threads (Vyukov's bounded MPMC design: each
/// slot carries a sequence number, so producers and consumers never take a lock and never wait on each other).
/// </summary>
/// <remarks>
/// Used where the audio thread is one end: control threads enqueue actions it applies at a k-boundary, and the audio
/// thread enqueues log records that a control thread drains. <see cref="TryEnqueue"/> fails when full instead of
/// waiting, and the caller counts the drop. Capacity is a power of two. The head and tail counters sit on separate
/// cache lines so that producer and consumer do not false-share.
/// </remarks>
public sealed class BoundedQueue<T> where T : unmanaged
{
    private struct Slot
    {
        public long Sequence;
        public T Value;
    }

    private readonly Slot[] slots;
    private readonly long mask;
    private PaddedCounter enqueuePosition;
    private PaddedCounter dequeuePosition;

    public BoundedQueue(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be a power of two >= 2");
        slots = new Slot[capacity];
        mask = capacity - 1;
        for (var i = 0; i < capacity; i++) slots[i].Sequence = i;
    }

    public int Capacity => slots.Length;

    /// <summary>Approximate number of queued records (exact when no thread is moving).</summary>
    public int Count => (int)Math.Max(0, Volatile.Read(ref enqueuePosition.Value) - Volatile.Read(ref dequeuePosition.Value));

    /// <summary>Adds a record; returns false, without waiting, if the queue is full. Safe from many threads.</summary>
    public bool TryEnqueue(in T value)
    {
        var pos = Volatile.Read(ref enqueuePosition.Value);
        while (true)
        {
            ref var slot = ref slots[pos & mask];
            var seq = Volatile.Read(ref slot.Sequence);
            var diff = seq - pos;
            if (diff == 0)
            {
                var seen = Interlocked.CompareExchange(ref enqueuePosition.Value, pos + 1, pos);
                if (seen == pos)
                {
                    slot.Value = value;
                    Volatile.Write(ref slot.Sequence, pos + 1);
                    return true;
                }
                pos = seen;
            }
            else if (diff < 0)
            {
                return false;
            }
            else
            {
                pos = Volatile.Read(ref enqueuePosition.Value);
            }
        }
    }

    /// <summary>True when no record is ready to take (a hint under concurrency). Touches what TryDequeue would.</summary>
    public bool IsEmpty
    {
        get
        {
            var pos = Volatile.Read(ref dequeuePosition.Value);
            return Volatile.Read(ref slots[pos & mask].Sequence) != pos + 1;
        }
    }

    /// <summary>Takes the oldest record; returns false if none is ready. Safe from many threads.</summary>
    public bool TryDequeue(out T value)
    {
        var pos = Volatile.Read(ref dequeuePosition.Value);
        while (true)
        {
            ref var slot = ref slots[pos & mask];
            var seq = Volatile.Read(ref slot.Sequence);
            var diff = seq - (pos + 1);
            if (diff == 0)
            {
                var seen = Interlocked.CompareExchange(ref dequeuePosition.Value, pos + 1, pos);
                if (seen == pos)
                {
                    value = slot.Value;
                    Volatile.Write(ref slot.Sequence, pos + mask + 1);
                    return true;
                }
                pos = seen;
            }
            else if (diff < 0)
            {
                value = default;
                return false;
            }
            else
            {
                pos = Volatile.Read(ref dequeuePosition.Value);
            }
        }
    }
}

/// <summary>A counter alone on its cache line (128 bytes covers adjacent-line prefetch), against false sharing.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedCounter
{
    [FieldOffset(64)] public long Value;
}
