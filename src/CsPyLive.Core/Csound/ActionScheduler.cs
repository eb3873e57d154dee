using System.Runtime.CompilerServices;
using CsPyLive.Realtime;

namespace CsPyLive.Csound;

/// <summary>
/// The engine's timed actions. Any thread queues them; the performing thread, at each k-boundary, applies what falls
/// due before the k-cycle's instruments run, in frame order.
/// </summary>
/// <remarks>
/// <para>Three capacities, so that no kind of traffic can starve another (a hostile probe filled one shared heap with
/// 5,000 bundles time-tagged 5 s ahead, after which a live <c>/py/tempo</c> and <c>/panic</c> were lost, and the
/// tempo stayed ignored even once the bundles fell due):</para>
/// <list type="bullet">
/// <item>actions for <b>now</b> (frame 0: faders, Python globals, panic, reloads) have a queue of their own,
/// <see cref="NowCapacity"/>, and never wait in the heap: they are applied the moment they are taken;</item>
/// <item><b>timed</b> actions (a MIDI note at its frame, a bundle's time tag) have their queue,
/// <see cref="TimedQueueCapacity"/>, and a frame-ordered heap of <see cref="PendingCapacity"/>;</item>
/// <item>of the heap, actions more than <see cref="FarFrames"/> ahead when taken (far future) may hold at most
/// <see cref="FarCapacity"/>: the rest stays free for what is due within the second, such as live MIDI.</item>
/// </list>
/// <para>What does not fit is dropped and counted, by kind (<see cref="DroppedNow"/>, <see cref="DroppedTimed"/>,
/// <see cref="DroppedFar"/>); the show reports each once a second at most. Threads: <see cref="TryEnqueue"/> from any
/// thread (lock-free, allocation-free); the rest from the performing thread only. Actions with equal frames apply
/// in the order they were queued.</para>
/// <para>A struct held in a field of <see cref="Engine"/> and used only there, in place: its counters sit in the
/// engine's own object, on lines the k-cycle touches anyway (ADR 0009).</para>
/// </remarks>
internal struct ActionScheduler
{
    public const int NowCapacity = 1024;
    public const int TimedQueueCapacity = 4096;
    public const int PendingCapacity = 4096;
    public const int FarCapacity = 3072;

    private readonly BoundedQueue<TimedAction> now;
    private readonly BoundedQueue<TimedAction> timed;
    private readonly PendingAction[] pending;
    private int pendingCount;
    private int farCount;
    private long sequence;
    private long droppedNow;
    private long droppedTimed;
    private long droppedFar;

    public ActionScheduler()
    {
        now = new BoundedQueue<TimedAction>(NowCapacity);
        timed = new BoundedQueue<TimedAction>(TimedQueueCapacity);
        pending = new PendingAction[PendingCapacity];
    }

    /// <summary>How far ahead an action is "far future" (set once the sample rate is known: one second of frames).</summary>
    public long FarFrames { get; set; }

    /// <summary>Actions for now lost because their queue was full. Any thread.</summary>
    public readonly long DroppedNow => Interlocked.Read(ref Unsafe.AsRef(in droppedNow));

    /// <summary>Timed actions lost because their queue or the heap was full. Any thread.</summary>
    public readonly long DroppedTimed => Interlocked.Read(ref Unsafe.AsRef(in droppedTimed));

    /// <summary>Far-future actions lost because <see cref="FarCapacity"/> of them were already waiting. Any thread.</summary>
    public readonly long DroppedFar => Interlocked.Read(ref Unsafe.AsRef(in droppedFar));

    /// <summary>Actions that can be queued now without dropping any, whichever queue they take. Any thread (a snapshot).</summary>
    public readonly int Room => Math.Min(now.Capacity - now.Count, timed.Capacity - timed.Count);

    /// <summary>Every action lost. Any thread.</summary>
    public readonly long Dropped => DroppedNow + DroppedTimed + DroppedFar;

    /// <summary>Queues an action: for now when its frame is 0, timed otherwise. Any thread; false (and counted) if its queue is full.</summary>
    public bool TryEnqueue(in TimedAction action)
    {
        if (action.Frame <= 0)
        {
            if (now.TryEnqueue(action)) return true;
            Interlocked.Increment(ref droppedNow);
            return false;
        }
        if (timed.TryEnqueue(action)) return true;
        Interlocked.Increment(ref droppedTimed);
        return false;
    }

    /// <summary>Whether anything is queued or pending. Performing thread.</summary>
    public readonly bool HasWork
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => pendingCount > 0 || !now.IsEmpty || !timed.IsEmpty;
    }

    /// <summary>
    /// Applies every action for now, then, in frame order, every pending action whose frame is below
    /// <paramref name="endFrame"/>; takes new timed actions into the heap. Performing thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    public void ApplyDue(long endFrame, Engine engine)
    {
        // Only what is queued now: an action applied here may queue another for now (a trigger's second press), which
        // waits for the next k-cycle rather than being applied in this one.
        for (var n = now.Count; n > 0 && now.TryDequeue(out var a); n--) engine.Apply(in a);
        var farFrom = endFrame + FarFrames;
        while (timed.TryDequeue(out var a))
        {
            var far = a.Frame >= farFrom;
            if (pendingCount == PendingCapacity || (far && farCount == FarCapacity))
            {
                if (far) Interlocked.Increment(ref droppedFar);
                else Interlocked.Increment(ref droppedTimed);
                continue;
            }
            if (far) farCount++;
            HeapPush(new PendingAction(a, sequence++, far));
        }
        while (pendingCount > 0 && pending[0].Action.Frame < endFrame)
        {
            var p = HeapPop();
            if (p.Far) farCount--;
            var action = p.Action;
            engine.Apply(in action);
        }
    }

    /// <summary>
    /// From the performing thread itself, inside a k-boundary (a handler's follow-up for the next k-cycle): straight
    /// into the heap, never a queue another thread fills. False (and counted) if the heap is full.
    /// </summary>
    public bool TryScheduleFromPerformingThread(in TimedAction action)
    {
        if (pendingCount == PendingCapacity)
        {
            Interlocked.Increment(ref droppedTimed);
            return false;
        }
        HeapPush(new PendingAction(action, sequence++, Far: false));
        return true;
    }

    private readonly record struct PendingAction(TimedAction Action, long Sequence, bool Far)
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
