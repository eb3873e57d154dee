using CsPyLive.Csound;

namespace CsPyLive.Osc;

/// <summary>
/// What OSC does to the engine, queued by the receiving thread and applied by the audio thread at a k-boundary,
/// before the k-cycle's instruments run. Registered as one <see cref="IKBoundaryHandler"/> of the engine.
/// </summary>
/// <remarks>
/// <para>Values for "now" (outside a bundle, or a bundle whose time has passed) coalesce: the receiving thread keeps the
/// latest value of each channel and Python global and queues one action while one is pending, so a flood of fader
/// moves costs the audio thread one write per target per k-cycle, whatever the message rate; the last value always
/// arrives. Values with a future time tag are queued one by one, at their frame.</para>
/// <para>The op travels in <see cref="TimedAction.EventType"/>, the target's index in <see cref="TimedAction.ChannelSlot"/>.</para>
/// </remarks>
internal sealed unsafe class OscActions : IKBoundaryHandler
{
    private const byte OpChannel = 1, OpPyNumber = 2, OpPyString = 3, OpPyExec = 4, OpTrigger = 5, OpTriggerReset = 6;
    private const int ChannelCapacity = ChannelTable.Capacity; // any slot the engine hands out, MIDI's 2,096 included

    private readonly Engine engine;
    private readonly byte handler;
    private readonly OscPython? python;
    private readonly LatestValues channels = new(ChannelCapacity);
    private readonly LatestValues globals = new(OscPython.MaxNames);
    private readonly long[] triggerGeneration = new long[ChannelCapacity];
    private readonly long[] triggerHighAt = new long[ChannelCapacity]; // 1 + the frame of the k-cycle it went up in
    private long applied;

    public OscActions(Engine engine, OscPython? python)
    {
        this.engine = engine;
        this.python = python;
        handler = engine.CustomActions.Add(this);
    }

    /// <summary>Actions the audio thread applied (values after coalescing, events, triggers...).</summary>
    public long Applied => Interlocked.Read(ref applied);

    /// <summary>Messages whose value was folded into a pending one (not lost: the newer value wins).</summary>
    public long Coalesced;

    public bool SetChannel(int slot, double value, long frame)
    {
        if (frame > 0) return Enqueue(frame, OpChannel, slot, value, 0);
        if (!channels.Set(slot, value, 0)) { Coalesced++; return true; }
        if (Enqueue(0, OpChannel, slot, 0, -1)) return true;
        channels.Cancel(slot);
        return false;
    }

    public bool SetPython(int name, double value, OscValueKind kind, long frame)
    {
        if (frame > 0) return Enqueue(frame, OpPyNumber, name, value, (short)kind);
        if (!globals.Set(name, value, (byte)kind)) { Coalesced++; return true; }
        if (Enqueue(0, OpPyNumber, name, 0, -1)) return true;
        globals.Cancel(name);
        return false;
    }

    public bool SetPythonString(int name, int stringSlot, long frame) => Enqueue(frame, OpPyString, name, 0, (short)stringSlot);

    public bool Exec(int codeSlot, long frame) => Enqueue(frame, OpPyExec, codeSlot, 0, 0);

    public bool Trigger(int valueSlot, int triggerSlot, double value, long frame) =>
        Enqueue(frame, OpTrigger, triggerSlot, value, (short)valueSlot);

    public bool Event(long frame, char type, ReadOnlySpan<double> pfields) =>
        engine.Enqueue(TimedAction.ScoreEvent(frame, type, pfields));

    private bool Enqueue(long frame, byte op, int index, double value, short count) => engine.Enqueue(new TimedAction
    {
        Frame = frame, Kind = TimedActionKind.Custom, Handler = handler, EventType = op, ChannelSlot = index, Value = value, Count = count,
    });

    /// <summary>Audio thread: an action of ours for the next k-cycle, which no flood from the network can crowd out.</summary>
    private void FollowUp(byte op, int index, double value, short count) => engine.ScheduleFromPerformingThread(new TimedAction
    {
        Frame = engine.FramesPerformed + engine.Ksmps, Kind = TimedActionKind.Custom, Handler = handler, EventType = op,
        ChannelSlot = index, Value = value, Count = count,
    });

    /// <summary>Audio thread, at a k-boundary.</summary>
    public void Apply(in TimedAction a)
    {
        applied++;
        switch (a.EventType)
        {
            case OpChannel:
                engine.WriteChannel(a.ChannelSlot, a.Count < 0 ? channels.Take(a.ChannelSlot, out _) : a.Value);
                break;
            case OpPyNumber:
                if (a.Count < 0)
                {
                    var v = globals.Take(a.ChannelSlot, out var kind);
                    python?.AssignNumber(a.ChannelSlot, v, (OscValueKind)kind);
                }
                else
                {
                    python?.AssignNumber(a.ChannelSlot, a.Value, (OscValueKind)a.Count);
                }
                break;
            case OpPyString:
                python?.AssignString(a.ChannelSlot, a.Count);
                break;
            case OpPyExec:
                python?.Exec(a.ChannelSlot);
                break;
            case OpTrigger:
                if (triggerHighAt[a.ChannelSlot] == engine.FramesPerformed + 1)
                {
                    // A second press in the same k-cycle: its own k-cycle, the next one, so pyassignt sees both values.
                    FollowUp(OpTrigger, a.ChannelSlot, a.Value, a.Count);
                    break;
                }
                triggerHighAt[a.ChannelSlot] = engine.FramesPerformed + 1;
                engine.WriteChannel(a.Count, a.Value);
                engine.WriteChannel(a.ChannelSlot, 1);
                var generation = ++triggerGeneration[a.ChannelSlot];
                // Down again at the next k-cycle: scheduled for the frame this one ends at.
                FollowUp(OpTriggerReset, a.ChannelSlot, generation, 0);
                break;
            case OpTriggerReset:
                if (triggerGeneration[a.ChannelSlot] == (long)a.Value) engine.WriteChannel(a.ChannelSlot, 0);
                break;
        }
    }

    /// <summary>The latest value of each target and whether an action for it is queued.</summary>
    private sealed class LatestValues(int capacity)
    {
        private readonly double[] values = new double[capacity];
        private readonly byte[] kinds = new byte[capacity];
        private readonly int[] pending = new int[capacity];

        /// <summary>Stores the value; true if no action is pending for it (the caller queues one).</summary>
        public bool Set(int i, double value, byte kind)
        {
            Volatile.Write(ref values[i], value);
            Volatile.Write(ref kinds[i], kind);
            return Interlocked.Exchange(ref pending[i], 1) == 0;
        }

        public void Cancel(int i) => Volatile.Write(ref pending[i], 0);

        /// <summary>Audio thread: clears pending first, so a value stored after this queues a new action.</summary>
        public double Take(int i, out byte kind)
        {
            Interlocked.Exchange(ref pending[i], 0);
            kind = Volatile.Read(ref kinds[i]);
            return Volatile.Read(ref values[i]);
        }
    }
}
