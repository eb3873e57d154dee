using System.Runtime.CompilerServices;
using CsPyLive.Realtime;

namespace CsPyLive.Csound;

/// <summary>
/// The engine's timed actions: a bounded lock-free queue that any thread fills, and a frame-ordered heap that the
/// performing thread drains at each k-boundary, applying what falls due before the k-cycle's instruments run.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="TryEnqueue"/> from any thread (lock-free, allocation-free; false and counted when full);
/// <see cref="ApplyDue"/> and <see cref="HasWork"/> from the performing thread only, which alone touches the heap.
/// Actions with equal frames apply in the order they were queued.</para>
/// <para>A struct held in a field of <see cref="Engine"/> (and only used there, in place): its counters sit in the
/// engine's own object, on lines the k-cycle touches anyway. As a separate object it was one more cold cache line
/// after each wake-up, measured on JACK (ADR 0009).</para>
/// </remarks>
internal struct ActionScheduler
{
    public const int QueueCapacity = 4096;
    public const int PendingCapacity = 4096;

    private readonly BoundedQueue<TimedAction> queue;
    private readonly PendingAction[] pending;
    private int pendingCount;
    private long sequence;
    private long dropped;

    public ActionScheduler()
    {
        queue = new BoundedQueue<TimedAction>(QueueCapacity);
        pending = new PendingAction[PendingCapacity];
    }

    /// <summary>Actions lost because the queue or the pending heap was full. Any thread.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Queues an action. Any thread; false (and counted) if the queue is full.</summary>
    public bool TryEnqueue(in TimedAction action)
    {
        if (queue.TryEnqueue(action)) return true;
        Interlocked.Increment(ref dropped);
        return false;
    }

    /// <summary>Whether anything is queued or pending. Performing thread.</summary>
    public readonly bool HasWork
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => pendingCount > 0 || !queue.IsEmpty;
    }

    /// <summary>Applies, in frame order, every action whose frame is below <paramref name="endFrame"/>. Performing thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    public void ApplyDue(long endFrame, Engine engine)
    {
        while (queue.TryDequeue(out var a))
        {
            if (pendingCount == PendingCapacity)
            {
                Interlocked.Increment(ref dropped);
                continue;
            }
            HeapPush(new PendingAction(a, sequence++));
        }
        while (pendingCount > 0 && pending[0].Action.Frame < endFrame)
        {
            var a = HeapPop().Action;
            engine.Apply(in a);
        }
    }

    private readonly record struct PendingAction(TimedAction Action, long Sequence)
    {
        public bool Before(in PendingAction other) =>
            Action.Frame < other.Action.Frame || (Action.Frame == other.Action.Frame && Sequence < other.Sequence);
    }

    private void HeapPush(PendingAction item)
    {
        var i = pendingCount++;
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!item.Before(pending[parent])) break;
            pending[i] = pending[parent];
            i = parent;
        }
        pending[i] = item;
    }

    private PendingAction HeapPop()
    {
        var top = pending[0];
        var last = pending[--pendingCount];
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= pendingCount) break;
            if (child + 1 < pendingCount && pending[child + 1].Before(pending[child])) child++;
            if (!pending[child].Before(last)) break;
            pending[i] = pending[child];
            i = child;
        }
        pending[i] = last;
        return top;
    }
}
