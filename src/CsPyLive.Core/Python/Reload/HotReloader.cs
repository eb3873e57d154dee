using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
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
    private nint snapshotHelper;
    private nint swapHelper;
    private nint rollbackHelper;
    private int nextSlot;
    private int swapsPending; // submitted, not yet applied
    private Pending? watchingForRegression;

    private sealed class Slot
    {
        /// <summary>The unmarshalled module code (an owned PyObject*), handed to the audio thread; 0 when taken.</summary>
        public nint CodeObject;
        /// <summary>{name: value before the swap} for the names the module stores (owned), taken with the code.</summary>
        public nint Before;
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
        snapshotHelper = PythonRuntime.Helper("reload_prepare");
        swapHelper = PythonRuntime.Helper("reload_swap");
        rollbackHelper = PythonRuntime.Helper("reload_rollback");
        // The first swap of a show must not pay for first times: compile our audio-side methods now, and run the
        // Python helpers once on an empty module (in a scratch namespace, not the user's).
        foreach (var name in new[] { nameof(Apply), nameof(Swap), nameof(RollBackNewest) })
            RuntimeHelpers.PrepareMethod(typeof(HotReloader).GetMethod(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.MethodHandle);
        PythonRuntime.DefineHelpers("""
            _scratch = {'__builtins__': __builtins__}
            _empty = compile('_warm = 1\ndef _warm_f(x):\n    return x\n', '<cspylive-warm-up>', 'exec')
            reload_rollback(reload_swap(_empty, _scratch, reload_prepare(_empty, _scratch)), _scratch)
            del _scratch, _empty
            """, "<cspylive-reload-warm-up>");
    }

    /// <summary>Rolls a swap back automatically when the new code raises where the old did not. On by default.</summary>
    public bool AutoRollback { get; set; } = true;

    /// <summary>
    /// Waits until the audio thread has just finished a callback, so the GIL is free for a while (the live host's
    /// idle gap between periods). Unmarshalling a large module from cold memory takes a few hundred microseconds
    /// with the GIL held: done in that gap, the audio thread never waits for it and only runs the module's
    /// definitions. Null (offline render): unmarshal at once.
    /// </summary>
    public Func<bool>? WaitForCallbackGap { get; set; }

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
        var inGap = WaitForCallbackGap?.Invoke() ?? false;
        nint code;
        using (Gil.Acquire())
        {
            fixed (byte* p = result.MarshalledCode) code = PyApi.PyMarshal_ReadObjectFromString(p, result.MarshalledCode!.Length).Steal().Pointer;
            if (code == 0)
            {
                using var text = PythonRuntime.TakeExceptionText();
                var error = PythonRuntime.ToManagedString(text).TrimEnd();
                log(MessageKind.Error, $"reload: {Path.GetFileName(result.Path)}: the compiled code does not load ({error}); nothing changed");
                records.Add(new ReloadRecord(result.Path, false, error, 0, Elapsed(seenAt), engine.FramesPerformed / engine.SampleRate));
                return;
            }
            // The names the module will store, and their values now, for a rollback. Taken here, in the gap, when this
            // swap is next in line (the audio thread then only runs the definitions); when another swap is still
            // waiting, or there is no gap (offline render), the audio thread takes it, since only it sees the state
            // the swap will replace.
            nint before = 0;
            if (inGap && Volatile.Read(ref swapsPending) == 0)
            {
                var snapshotArgs = stackalloc nint[2] { code, PythonRuntime.MainDict.Pointer };
                before = PyApi.PyObject_Vectorcall(new(snapshotHelper), snapshotArgs, 2, 0).Steal().Pointer;
                if (before == 0) PyApi.PyErr_Clear(); // the audio thread will try again
            }
            var index = nextSlot++ % SlotCount;
            ReleaseSlot(slots[index]); // a swap never applied: 16 saves ago
            SubmitSwap(index, code, before, result.Path, seenAt, frame);
        }
    }

    /// <summary>Drops a slot's code and snapshot if the audio thread never took them. GIL held.</summary>
    private void ReleaseSlot(Slot slot)
    {
        var code = Interlocked.Exchange(ref slot.CodeObject, 0);
        if (code == 0) return;
        PyApi.Py_DecRef(code);
        if (slot.Before != 0) PyApi.Py_DecRef(slot.Before);
        Interlocked.Decrement(ref swapsPending);
    }

    private void SubmitSwap(int index, nint code, nint before, string path, long seenAt, long frame)
    {
        Interlocked.Increment(ref swapsPending);
        var slot = slots[index];
        slot.Before = before;
        Volatile.Write(ref slot.CodeObject, code);
        slot.Path = path;
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
            if (action.Count == OpSwap) outcome.Ok = Swap(slots[action.ChannelSlot], ref outcome);
            else outcome.Ok = RollBackNewest(ref outcome);
        }
        outcome.StallTicks = Stopwatch.GetTimestamp() - start;
        outcome.AppliedAt = Stopwatch.GetTimestamp();
        outcomes.TryEnqueue(outcome);
    }

    private bool Swap(Slot slot, ref SwapOutcome outcome)
    {
        var code = Interlocked.Exchange(ref slot.CodeObject, 0);
        if (code == 0) return false; // superseded before it was applied
        Interlocked.Decrement(ref swapsPending);
        var before = slot.Before;
        var args = stackalloc nint[3] { code, PythonRuntime.MainDict.Pointer, before != 0 ? before : PythonRuntime.None.Pointer };
        var taken = PyApi.PyObject_Vectorcall(new(swapHelper), args, 3, 0); // the snapshot it used
        PyApi.Py_DecRef(code);
        if (before != 0) PyApi.Py_DecRef(before);
        if (taken.IsNull)
        {
            outcome.ErrorText = PythonRuntime.TakeExceptionText().Steal().Pointer;
            return false;
        }
        undo.Push(taken.Steal().Pointer); // what a rollback puts back
        return true;
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

        import gc as _gc
        from types import CodeType as _CodeType, FunctionType as _FunctionType

        def reload_snapshot(code, main):
            '''{name: current value (or _missing)} for the names a module's code stores: module-level assignments and
            defs store names listed in co_names, so this costs the same however big __main__ has grown.'''
            return {k: main.get(k, _missing) for k in code.co_names}

        def reload_prepare(code, main):
            '''The snapshot, taken in the audio thread's idle gap; it also builds (and drops) a function object for
            each of the module's functions without running any of its code, so the allocator's pools and the shared
            cache are warm when the audio thread makes the real ones.'''
            for c in code.co_consts:
                if type(c) is _CodeType and not c.co_freevars:
                    _FunctionType(c, main)
            _gc.collect(1)  # young generations now, here, so the swap's allocations do not set one off
            return reload_snapshot(code, main)

        def reload_swap(code, main, before):
            '''Runs a reloaded module's code in __main__; if it raises, puts back what it touched and re-raises.
            Returns the snapshot of what it replaced (taken now when none was given), for a rollback.'''
            if before is None:
                before = reload_snapshot(code, main)
            collecting = _gc.isenabled()
            _gc.disable()  # no collection of the whole heap in the middle of the swap
            try:
                exec(code, main)
            except BaseException:
                reload_rollback(before, main)
                raise
            finally:
                if collecting:
                    _gc.enable()
            return before

        def reload_rollback(before, main):
            for k, old in before.items():
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
        foreach (var slot in slots) ReleaseSlot(slot);
        if (snapshotHelper != 0) PyApi.Py_DecRef(snapshotHelper);
        if (swapHelper != 0) PyApi.Py_DecRef(swapHelper);
        if (rollbackHelper != 0) PyApi.Py_DecRef(rollbackHelper);
        snapshotHelper = swapHelper = rollbackHelper = 0;
    }
}
