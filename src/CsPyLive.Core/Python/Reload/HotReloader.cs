using System.Diagnostics;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Python.CPython;
using CsPyLive.Realtime;

namespace CsPyLive.Python.Reload;

/// <summary>
/// Hot reload of Python: compiled code from <see cref="PythonCompiler"/> is swapped into <c>__main__</c> at a
/// k-boundary on the performing thread, so the next <c>pycall*</c> calls the new functions.
/// </summary>
/// <remarks>
/// <para>Control side (<see cref="Submit"/>, <see cref="Poll"/>, <see cref="RollBack"/>): compiling happens in another
/// process; a good result is parked in a slot and a <see cref="TimedActionKind.Custom"/> action carries the slot's
/// number to the engine.</para>
/// <para>Audio side (<see cref="Apply"/>): unmarshal, then run the module code in <c>__main__</c> itself, so names the
/// file does not redefine keep their state and new functions see the same globals. If the module code raises,
/// <c>__main__</c> is restored to what it was: a broken save changes nothing that runs. What the swap replaced is
/// kept, so a later rollback can put the previous definitions back. The swap's duration (the audio thread's stall)
/// is measured and reported.</para>
/// <para>Automatic rollback: if, within <see cref="RollbackWindow"/> after a swap, Python code called by the
/// orchestra raises where it had not raised in the same span before the swap, the swap is undone and the log says so.</para>
/// </remarks>
public sealed unsafe class HotReloader : IKBoundaryHandler, IDisposable
{
    private const int SlotCount = 16;
    private const short OpSwap = 1;
    private const short OpRollback = 2;

    private readonly Engine engine;
    private readonly byte handler;
    private readonly Action<MessageKind, string> log;
    private readonly Slot[] slots = new Slot[SlotCount];
    private readonly BoundedQueue<SwapOutcome> outcomes = new(64);
    private readonly List<ReloadRecord> records = [];
    private readonly Stack<nint> undo = new(64); // previous-values dicts (owned refs) of good swaps, newest on top; audio thread only
    private nint swapHelper;
    private nint rollbackHelper;
    private int nextSlot;
    private Pending? watchingForRegression;

    private sealed class Slot
    {
        public byte[]? Code;
        public string Path = "";
        public long SeenAt;
    }

    private struct SwapOutcome
    {
        public int Slot;
        public short Op;
        public bool Ok;
        public long StallTicks;
        public long AppliedAt;
        public long Frame;
        public long ErrorsAtSwap;
        public long LastErrorAtSwap;
        public nint ErrorText; // owned str, decref'd under the GIL by the control thread
    }

    private sealed record Pending(long AppliedAt, long ErrorsAtSwap, bool RaisedBefore, string Path);

    public HotReloader(Engine engine, Action<MessageKind, string> log)
    {
        this.engine = engine;
        this.log = log;
        handler = engine.CustomActions.Add(this);
        for (var i = 0; i < SlotCount; i++) slots[i] = new Slot();
        PythonRuntime.EnsureInitialized();
        using var gil = Gil.Acquire();
        PythonRuntime.DefineHelpers(HelperSource, "<cspylive-reload>");
        swapHelper = PythonRuntime.Helper("reload_swap");
        rollbackHelper = PythonRuntime.Helper("reload_rollback");
    }

    /// <summary>Rolls a swap back automatically when the new code raises where the old did not. On by default.</summary>
    public bool AutoRollback { get; set; } = true;

    /// <summary>How long after a swap new errors count against it.</summary>
    public TimeSpan RollbackWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every reload so far, good or bad (a copy; any thread).</summary>
    public IReadOnlyList<ReloadRecord> Records
    {
        get { lock (records) return records.ToArray(); }
    }

    /// <summary>
    /// Hands a compile result to the engine: a good one is swapped in at the k-cycle holding <paramref name="frame"/>
    /// (0: the next one); a bad one is logged with its file and line, and nothing changes. Control thread.
    /// </summary>
    public void Submit(CompileResult result, long seenAt, long frame = 0)
    {
        lock (records) SubmitLocked(result, seenAt, frame);
    }

    private void SubmitLocked(CompileResult result, long seenAt, long frame)
    {
        if (!result.Ok)
        {
            log(MessageKind.Error, $"reload: {result.Describe()}\nreload: the previous code keeps running");
            records.Add(new ReloadRecord(result.Path, false, result.Describe(), 0, Elapsed(seenAt), engine.FramesPerformed / engine.SampleRate));
            return;
        }
        var index = nextSlot++ % SlotCount;
        var slot = slots[index];
        Volatile.Write(ref slot.Code, result.MarshalledCode);
        slot.Path = result.Path;
        slot.SeenAt = seenAt;
        var action = new TimedAction { Frame = frame, Kind = TimedActionKind.Custom, Handler = handler, ChannelSlot = index, Count = OpSwap };
        if (!engine.Enqueue(action)) log(MessageKind.Error, "reload: the engine's queue is full; save again");
    }

    /// <summary>Undoes the newest good swap at the next k-boundary (the command a performer gives by hand).</summary>
    public void RollBack()
    {
        engine.Enqueue(new TimedAction { Kind = TimedActionKind.Custom, Handler = handler, Count = OpRollback, ChannelSlot = -1 });
    }

    /// <summary>Audio thread, at a k-boundary: performs a queued swap or rollback.</summary>
    public void Apply(in TimedAction action)
    {
        var start = Stopwatch.GetTimestamp();
        var outcome = new SwapOutcome
        {
            Slot = action.ChannelSlot, Op = action.Count, Frame = engine.FramesPerformed,
            ErrorsAtSwap = PythonErrors.Count, LastErrorAtSwap = PythonErrors.LastAt,
        };
        using (Gil.Acquire())
        {
            if (action.Count == OpSwap) outcome.Ok = Swap(slots[action.ChannelSlot].Code!, ref outcome);
            else outcome.Ok = RollBackNewest(ref outcome);
        }
        outcome.StallTicks = Stopwatch.GetTimestamp() - start;
        outcome.AppliedAt = Stopwatch.GetTimestamp();
        outcomes.TryEnqueue(outcome);
    }

    private bool Swap(byte[] code, ref SwapOutcome outcome)
    {
        NewReference codeObject;
        fixed (byte* p = code) codeObject = PyApi.PyMarshal_ReadObjectFromString(p, code.Length);
        using (codeObject)
        {
            if (codeObject.IsNull)
            {
                outcome.ErrorText = PythonRuntime.TakeExceptionText().Steal().Pointer;
                return false;
            }
            var args = stackalloc nint[2] { codeObject.DangerousPointer, PythonRuntime.MainDict.Pointer };
            var previous = PyApi.PyObject_Vectorcall(new(swapHelper), args, 2, 0);
            if (previous.IsNull)
            {
                outcome.ErrorText = PythonRuntime.TakeExceptionText().Steal().Pointer;
                return false;
            }
            undo.Push(previous.Steal().Pointer);
            return true;
        }
    }

    private bool RollBackNewest(ref SwapOutcome outcome)
    {
        if (undo.Count == 0) return false;
        var previous = undo.Pop();
        var args = stackalloc nint[2] { previous, PythonRuntime.MainDict.Pointer };
        using var result = PyApi.PyObject_Vectorcall(new(rollbackHelper), args, 2, 0);
        PyApi.Py_DecRef(previous);
        if (result.IsNull)
        {
            outcome.ErrorText = PythonRuntime.TakeExceptionText().Steal().Pointer;
            return false;
        }
        return true;
    }

    /// <summary>Control thread, often: logs what the audio thread did, records it, and watches for regressions.</summary>
    public void Poll()
    {
        lock (records) PollLocked();
    }

    /// <summary>Stopwatch timestamp at which the audio thread finished the last good swap (0: none yet).</summary>
    public long LastSwapAppliedAt { get; private set; }

    private void PollLocked()
    {
        while (outcomes.TryDequeue(out var o))
        {
            string? error = null;
            if (o.ErrorText != 0)
            {
                using var gil = Gil.Acquire();
                error = PythonRuntime.ToManagedString(new(o.ErrorText)).TrimEnd();
                PyApi.Py_DecRef(o.ErrorText);
            }
            var stallUs = o.StallTicks * 1e6 / Stopwatch.Frequency;
            var at = o.Frame / engine.SampleRate;
            if (o.Op == OpRollback)
            {
                log(o.Ok ? MessageKind.Warning : MessageKind.Error,
                    o.Ok ? "reload: rolled back to the previous version" : $"reload: nothing to roll back{(error is null ? "" : ": " + error)}");
                continue;
            }
            var slot = slots[o.Slot];
            var saveToLive = (o.AppliedAt - slot.SeenAt) * 1e3 / Stopwatch.Frequency;
            records.Add(new ReloadRecord(slot.Path, o.Ok, error, stallUs, saveToLive, at));
            if (o.Ok)
            {
                LastSwapAppliedAt = o.AppliedAt;
                log(MessageKind.Info, $"reload: {Path.GetFileName(slot.Path)} is live (audio stall {stallUs:0} us, save to live {saveToLive:0.0} ms)");
                var raisedBefore = o.LastErrorAtSwap != 0 && o.AppliedAt - o.LastErrorAtSwap < ToTicks(RollbackWindow);
                watchingForRegression = new Pending(o.AppliedAt, o.ErrorsAtSwap, raisedBefore, slot.Path);
            }
            else
            {
                log(MessageKind.Error, $"reload: {Path.GetFileName(slot.Path)} raised while loading; nothing changed:\n{error}");
            }
        }
        CheckRegression();
    }

    private void CheckRegression()
    {
        if (watchingForRegression is not { } w) return;
        var now = Stopwatch.GetTimestamp();
        var newErrors = PythonErrors.Count - w.ErrorsAtSwap;
        if (newErrors > 0 && !w.RaisedBefore && AutoRollback)
        {
            log(MessageKind.Error, $"reload: the new {Path.GetFileName(w.Path)} raises where the previous version did not; rolling back");
            watchingForRegression = null;
            RollBack();
        }
        else if (now - w.AppliedAt > ToTicks(RollbackWindow))
        {
            watchingForRegression = null;
        }
    }

    private static long ToTicks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    private static double Elapsed(long since) => (Stopwatch.GetTimestamp() - since) * 1e3 / Stopwatch.Frequency;

    private const string HelperSource = """
        _missing = object()

        def reload_swap(code, main):
            '''Runs a reloaded module's code in __main__; on an exception puts back what it touched and re-raises.
            Returns {name: previous value (or _missing)} of what it changed, for a rollback.'''
            # Module-level assignments and defs store names listed in co_names: snapshot just those, not all of
            # __main__, so the swap costs the same however big the session's namespace has grown.
            before = {k: main.get(k, _missing) for k in code.co_names}
            try:
                exec(code, main)
            except BaseException:
                reload_rollback(before, main)
                raise
            return {k: old for k, old in before.items() if main.get(k, _missing) is not old}

        def reload_rollback(changed, main):
            for k, old in changed.items():
                if old is _missing:
                    main.pop(k, None)
                else:
                    main[k] = old
        """;

    public void Dispose()
    {
        if (!PythonRuntime.IsInitialized) return;
        using var gil = Gil.Acquire();
        while (undo.Count > 0) PyApi.Py_DecRef(undo.Pop()); // the audio thread has stopped by now
        if (swapHelper != 0) PyApi.Py_DecRef(swapHelper);
        if (rollbackHelper != 0) PyApi.Py_DecRef(rollbackHelper);
        swapHelper = rollbackHelper = 0;
    }
}
