using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsPyLive.Csound;
using CsPyLive.Live;
using CsPyLive.Python.CPython;
using CsPyLive.Realtime;

namespace CsPyLive.Python.Reload;

/// <summary>
/// Hot reload of Python: compiled code from <see cref="PythonCompiler"/> is run into <c>__main__</c> between two
/// k-cycles, so the next <c>pycall*</c> calls the new functions.
/// </summary>
/// <remarks>
/// <para>The module code always runs in <c>__main__</c> itself, so names the file does not redefine keep their
/// state and new functions see the same globals. If it raises, <c>__main__</c> is restored to what it was: a broken
/// save changes nothing that runs. What a swap replaced is kept, so a later rollback can put it back.</para>
/// <para>Where it runs (ADR 0006): live, in the audio thread's idle gap — right after a callback, on the control
/// thread, with the GIL held throughout, so the audio thread cannot run Python half-way through it and never waits
/// for it. Between two callbacks is between two k-cycles. A line tracer watches for the next callback; if it starts
/// first, the module's changes are undone and the swap goes to the audio thread instead. Offline (render, where
/// swaps land on a given frame), when another swap is still queued, or after such an overrun: on the audio thread,
/// at a k-boundary, through a <see cref="TimedActionKind.Custom"/> action carrying a slot number (<see cref="Apply"/>).
/// Either way the audio thread's stall is measured and reported.</para>
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
    private readonly object submitLock = new(); // one submission or poll at a time: they share the slots
    private ReloadRecord[] records = [];         // replaced whole on each new record, so readers need no lock
    private readonly UndoHistory undo = new(); // what good swaps replaced, newest first; GIL held
    private static PyMethodDef* audioBusyMethod;
    private static LiveHost? gapHost; // the host whose callbacks the gap tracer watches; set with the GIL held
    private nint swapHelper;
    private nint rollbackHelper;
    private int nextSlot;
    private int swapsPending; // submitted, not yet applied
    private Pending? watchingForRegression;

    private sealed class Slot
    {
        /// <summary>The unmarshalled module code (an owned PyObject*), handed to the audio thread; 0 when taken.</summary>
        public nint CodeObject;
        public string Path = "";
        public long SeenAt;
        /// <summary>Ticks the audio thread may have waited while an attempt in the gap was undone (added to its stall).</summary>
        public long OverrunTicks;
    }

    private struct SwapOutcome
    {
        public int Slot;
        public short Op;
        public bool Ok;
        public bool InGap;
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
        using (var busy = CreateAudioBusyFunction()) PythonRuntime.SetHelper("_audio_busy", busy);
        // The first swap of a show must not pay for first times: compile our methods now (the JIT compiles each fully
        // at first call), and run the Python helpers once on an empty module (in a scratch namespace, not the user's).
        foreach (var name in new[] { nameof(Apply), nameof(Swap), nameof(RollBackNewest), nameof(SubmitLocked), nameof(SwapInGap), nameof(PollLocked) })
            RuntimeHelpers.PrepareMethod(typeof(HotReloader).GetMethod(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.MethodHandle);
        PythonRuntime.DefineHelpers("""
            _scratch = {'__builtins__': __builtins__}
            _empty = compile('_warm = 1\ndef _warm_f(x):\n    return x\n', '<cspylive-warm-up>', 'exec')
            reload_rollback(reload_swap(_empty, _scratch), _scratch)
            reload_rollback(reload_swap(_empty, _scratch, True), _scratch)
            del _scratch, _empty
            """, "<cspylive-reload-warm-up>");
    }

    /// <summary>Rolls a swap back automatically when the new code raises where the old did not. On by default.</summary>
    public bool AutoRollback { get; set; } = true;

    /// <summary>
    /// The live host whose idle gap between callbacks reloads use (<see cref="LiveHost.WaitForCallbackGap"/>): there
    /// the module is unmarshalled and run, so the audio thread never waits for it. Null (offline render): every swap
    /// runs on the audio thread at its frame.
    /// </summary>
    public LiveHost? Host { get; set; }

    /// <summary>How long after a swap new errors count against it.</summary>
    public TimeSpan RollbackWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Every reload so far, good or bad: a list that never changes once returned; any thread. Read without the
    /// lock, which a submission waiting for the GIL may hold for as long as the audio thread keeps it.
    /// </summary>
    public IReadOnlyList<ReloadRecord> Records => Volatile.Read(ref records);

    /// <summary>
    /// Hands a compile result to the engine: a good one is swapped in at the k-cycle holding <paramref name="frame"/>
    /// (0: the next one); a bad one is logged with its file and line, and nothing changes. Control thread.
    /// </summary>
    public void Submit(CompileResult result, long seenAt, long frame = 0)
    {
        lock (submitLock) SubmitLocked(result, seenAt, frame);
    }

    private void SubmitLocked(CompileResult result, long seenAt, long frame)
    {
        if (!result.Ok)
        {
            log(MessageKind.Error, $"reload: {result.Describe()}\nreload: the previous code keeps running");
            Record(new ReloadRecord(result.Path, false, result.Describe(), 0, Elapsed(seenAt), engine.FramesPerformed / engine.SampleRate));
            return;
        }
        var host = frame == 0 ? Host : null; // a swap placed on a frame (render) runs on the audio thread
        var inGap = host?.WaitForCallbackGap() ?? false;
        nint code;
        using (Gil.Acquire())
        {
            fixed (byte* p = result.MarshalledCode) code = PyApi.PyMarshal_ReadObjectFromString(p, result.MarshalledCode!.Length).Steal().Pointer;
            if (code == 0)
            {
                using var text = PythonRuntime.TakeExceptionText();
                var error = PythonRuntime.ToManagedString(text).TrimEnd();
                log(MessageKind.Error, $"reload: {Path.GetFileName(result.Path)}: the compiled code does not load ({error}); nothing changed");
                Record(new ReloadRecord(result.Path, false, error, 0, Elapsed(seenAt), engine.FramesPerformed / engine.SampleRate));
                return;
            }
            var index = nextSlot++ % SlotCount;
            ReleaseSlot(slots[index]); // a swap never applied: 16 saves ago
            var slot = slots[index];
            slot.Path = result.Path;
            slot.SeenAt = seenAt;
            slot.OverrunTicks = 0;
            // In the gap when this swap is next in line: a queued swap must run first, since this module's code
            // may read what that one defines.
            if (inGap && Volatile.Read(ref swapsPending) == 0 && SwapInGap(host!, index, code)) return;
            // On the audio thread. The names the module will store, and their values now, are taken there, since only
            // it sees the state the swap will replace once other queued swaps have run.
            SubmitSwap(index, code, frame);
        }
    }

    /// <summary>
    /// Control thread, in the idle gap, GIL held: runs the module code into <c>__main__</c>. True when it is done
    /// with (swapped, or failed and undone; the outcome is queued for <see cref="Poll"/>); false when the next
    /// callback started first, the module's changes were undone, and the swap must go to the audio thread.
    /// </summary>
    private bool SwapInGap(LiveHost host, int index, nint code)
    {
        var outcome = new SwapOutcome
        {
            Slot = index, Op = OpSwap, InGap = true, Frame = engine.FramesPerformed,
            ErrorsAtSwap = PythonErrors.Count, LastErrorAtSwap = PythonErrors.LastAt,
        };
        gapHost = host;
        using var inGap = PyApi.PyBool_FromLong(new CLong(1));
        var args = stackalloc nint[3] { code, PythonRuntime.MainDict.Pointer, inGap.DangerousPointer };
        var before = PyApi.PyObject_Vectorcall(new(swapHelper), args, 3, 0);
        gapHost = null;
        if (!before.IsNull && before.DangerousPointer == PythonRuntime.None.Pointer)
        {
            // Overrun: undone; the audio thread may have waited from its callback's start until the GIL comes free.
            before.Dispose();
            slots[index].OverrunTicks = OverlapWithCallback(host);
            return false;
        }
        PyApi.Py_DecRef(code);
        if (before.IsNull) outcome.ErrorText = PythonRuntime.TakeExceptionText().Steal().Pointer;
        else Remember(before.Steal().Pointer);
        outcome.Ok = outcome.ErrorText == 0;
        outcome.AppliedAt = Stopwatch.GetTimestamp();
        outcome.StallTicks = OverlapWithCallback(host);
        outcomes.TryEnqueue(outcome);
        return true;
    }

    /// <summary>Ticks since the callback now running started (0 between callbacks): how long it may have waited for us.</summary>
    private static long OverlapWithCallback(LiveHost host)
    {
        var started = host.CallbackStartedAt;
        return started == 0 ? 0 : Math.Max(0, Stopwatch.GetTimestamp() - started);
    }

    /// <summary>A builtin <c>_audio_busy()</c>: True while a callback of the watched host runs. GIL held.</summary>
    private static NewReference CreateAudioBusyFunction()
    {
        if (audioBusyMethod == null) audioBusyMethod = BuiltinFunction.Define("_audio_busy", &AudioBusy, PyApi.METH_NOARGS);
        return BuiltinFunction.Create(audioBusyMethod);
    }

    [UnmanagedCallersOnly]
    private static nint AudioBusy(nint self, nint unused)
    {
        try
        {
            var busy = gapHost is { } h && h.CallbackStartedAt != 0;
            return PyApi.PyBool_FromLong(new CLong(busy ? 1 : 0)).Steal().Pointer;
        }
        catch
        {
            return PyApi.PyBool_FromLong(new CLong(1)).Steal().Pointer; // when in doubt, give the GIL back
        }
    }

    /// <summary>Drops a slot's code and snapshot if the audio thread never took them. GIL held.</summary>
    private void ReleaseSlot(Slot slot)
    {
        var code = Interlocked.Exchange(ref slot.CodeObject, 0);
        if (code == 0) return;
        PyApi.Py_DecRef(code);
        Interlocked.Decrement(ref swapsPending);
    }

    private void SubmitSwap(int index, nint code, long frame)
    {
        Interlocked.Increment(ref swapsPending);
        var slot = slots[index];
        Volatile.Write(ref slot.CodeObject, code);
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
        var args = stackalloc nint[2] { code, PythonRuntime.MainDict.Pointer };
        var taken = PyApi.PyObject_Vectorcall(new(swapHelper), args, 2, 0); // the snapshot it took
        PyApi.Py_DecRef(code);
        if (taken.IsNull)
        {
            outcome.ErrorText = PythonRuntime.TakeExceptionText().Steal().Pointer;
            return false;
        }
        Remember(taken.Steal().Pointer); // what a rollback puts back
        return true;
    }

    /// <summary>Keeps a swap's snapshot for rollbacks, releasing the oldest beyond <see cref="UndoHistory.Capacity"/>. GIL held.</summary>
    private void Remember(nint snapshot)
    {
        var evicted = undo.Push(snapshot);
        if (evicted != 0) PyApi.Py_DecRef(evicted);
    }

    private bool RollBackNewest(ref SwapOutcome outcome)
    {
        var previous = undo.Pop();
        if (previous == 0) return false;
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

    /// <summary>
    /// Control thread, often: logs what the audio thread did, records it, and watches for regressions. Skips its
    /// turn when a submission holds the lock longer than <paramref name="wait"/>: one waiting for the GIL (an audio
    /// thread stuck in a C call holding it) must not stall the control loop, or Ctrl+C with it.
    /// </summary>
    public void Poll(TimeSpan wait = default)
    {
        if (!Monitor.TryEnter(submitLock, wait)) return;
        try { PollLocked(); }
        finally { Monitor.Exit(submitLock); }
    }

    /// <summary>Adds a record; under the submit lock.</summary>
    private void Record(ReloadRecord record) => Volatile.Write(ref records, [.. records, record]);

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
            var overrun = o.Op == OpSwap ? slots[o.Slot].OverrunTicks : 0;
            var stallUs = (o.StallTicks + overrun) * 1e6 / Stopwatch.Frequency;
            var at = o.Frame / engine.SampleRate;
            if (o.Op == OpRollback)
            {
                log(o.Ok ? MessageKind.Warning : MessageKind.Error,
                    o.Ok ? "reload: rolled back to the previous version" : $"reload: nothing to roll back{(error is null ? "" : ": " + error)}");
                continue;
            }
            var slot = slots[o.Slot];
            var saveToLive = (o.AppliedAt - slot.SeenAt) * 1e3 / Stopwatch.Frequency;
            Record(new ReloadRecord(slot.Path, o.Ok, error, stallUs, saveToLive, at, o.InGap ? "gap" : "audio_thread"));
            if (o.Ok)
            {
                LastSwapAppliedAt = o.AppliedAt;
                var where = o.InGap ? "between callbacks" : overrun > 0 ? "on the audio thread: its module code outlasted the idle gap" : "on the audio thread";
                log(MessageKind.Info, $"reload: {Path.GetFileName(slot.Path)} is live ({where}; audio stall {stallUs:0} us, save to live {saveToLive:0.0} ms)");
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
        import sys as _sys

        def reload_snapshot(code, main):
            '''{name: current value (or _missing)} for the names a module's code stores: module-level assignments and
            defs store names listed in co_names, so this costs the same however big __main__ has grown.'''
            return {k: main.get(k, _missing) for k in code.co_names}

        _overran = [False]

        class _GapOverrun(BaseException):
            '''Raised into a reloaded module's code, run in the idle gap, once the next audio callback has started.'''

        def _gap_tracer(frame, event, arg):
            if _audio_busy():
                _overran[0] = True
                raise _GapOverrun
            return _gap_tracer

        def reload_swap(code, main, in_gap=False):
            '''Runs a reloaded module's code in __main__ and returns the snapshot of what it replaced, for a rollback. If
            the code raises, puts back what it touched and re-raises. in_gap (the control thread, in the audio thread's
            idle gap): the switch interval is raised so the GIL is never handed over half-way, and a line tracer gives up
            as soon as the next callback has started instead; then what the code touched is put back and None returned
            (the audio thread will run it).'''
            before = reload_snapshot(code, main)
            collecting = _gc.isenabled()
            _gc.disable()  # no collection of the whole heap in the middle of the swap
            if in_gap:
                interval = _sys.getswitchinterval()
                _overran[0] = False
                _sys.setswitchinterval(1.0)
                _sys.settrace(_gap_tracer)
            try:
                exec(code, main)
            except BaseException as e:
                if in_gap:
                    _sys.settrace(None)  # before putting things back: the tracer must not interrupt that
                reload_rollback(before, main)
                if isinstance(e, _GapOverrun):
                    return None
                raise
            finally:
                if in_gap:
                    _sys.settrace(None)
                    _sys.setswitchinterval(interval)
                if collecting:
                    _gc.enable()
            if in_gap and _overran[0]:  # the module caught _GapOverrun itself (a bare except): still an overrun
                reload_rollback(before, main)
                return None
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
        while (undo.Pop() is var snapshot && snapshot != 0) PyApi.Py_DecRef(snapshot); // the audio thread has stopped by now
        foreach (var slot in slots) ReleaseSlot(slot);
        if (swapHelper != 0) PyApi.Py_DecRef(swapHelper);
        if (rollbackHelper != 0) PyApi.Py_DecRef(rollbackHelper);
        swapHelper = rollbackHelper = 0;
    }
}
