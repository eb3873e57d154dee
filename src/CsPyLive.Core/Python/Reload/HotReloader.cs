using System.Diagnostics;
using System.Runtime.CompilerServices;
using CsPyLive.Csound;
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
/// save changes nothing that runs. What a swap replaced is kept (<see cref="UndoHistory"/>), so a later rollback can
/// put it back.</para>
/// <para>Where it runs (ADR 0006): live, in the audio thread's idle gap — right after a callback
/// (<see cref="ICallbackGap.WaitForCallbackGap"/>), on the submitting thread, with the GIL held throughout, so the
/// audio thread cannot run Python half-way through it and never waits for it. Between two callbacks is between two
/// k-cycles. A line tracer watches for the next callback (<see cref="AudioBusyFunction"/>); if it starts first, the
/// module's changes are undone and the swap goes to the audio thread instead. Offline (no gap: swaps land on a
/// given frame), when another swap is still queued, or after such an overrun: on the audio thread, at a k-boundary,
/// through a <see cref="TimedActionKind.Custom"/> action carrying a slot number (<see cref="Apply"/>, with
/// <see cref="SwapSlots"/>). Either way the audio thread's stall is measured and reported.</para>
/// <para>Automatic rollback (<see cref="RegressionWatch"/>): if, within two seconds after a swap, Python code called
/// by the orchestra raises where it had not raised in the same span before the swap, the swap is undone and the log
/// says so.</para>
/// <para>Threads: <see cref="Submit"/> from one thread at a time (the compile task of <see cref="ReloadService"/>, or
/// the control thread for a scripted reload; serialised by a lock); <see cref="Apply"/> on the audio thread;
/// <see cref="Poll"/> and <see cref="RollBack"/> on the control thread; <see cref="Records"/> from any thread.</para>
/// </remarks>
public sealed class HotReloader : IKBoundaryHandler, IDisposable
{
    private const short OpSwap = 1;
    private const short OpRollback = 2;

    private readonly Engine engine;
    private readonly ICallbackGap? gap;
    private readonly bool autoRollback;
    private readonly byte handler;
    private readonly Action<MessageKind, string> log;
    private readonly SwapSlots slots = new();
    private readonly BoundedQueue<SwapOutcome> outcomes = new(64);
    private readonly object submitLock = new(); // one submission or poll at a time: they share the slots
    private readonly UndoHistory undo = new();  // what good swaps replaced, newest first; GIL held
    private readonly RegressionWatch regressions = new(TimeSpan.FromSeconds(2));
    private readonly ReloadHelpers helpers;
    private readonly AudioBusyFunction? audioBusy;
    private ReloadRecord[] records = [];        // replaced whole on each new record, so readers need no lock
    private readonly Queue<string> rollbackReasons = new(); // why each queued rollback was asked for, in order
    private readonly Dictionary<string, string[]> definedBefore = []; // per file, what its live version defines

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

    /// <param name="engine">The engine whose k-boundaries apply swaps.</param>
    /// <param name="gap">The live callback's idle gap, where swaps run without the audio thread waiting; null
    /// offline, where every swap runs on the audio thread at its frame.</param>
    /// <param name="autoRollback">Undo a swap whose new code raises where the previous version did not.</param>
    /// <param name="log">Where outcomes are reported (control thread).</param>
    public HotReloader(Engine engine, ICallbackGap? gap, bool autoRollback, Action<MessageKind, string> log)
    {
        this.engine = engine;
        this.gap = gap;
        this.autoRollback = autoRollback;
        this.log = log;
        handler = engine.CustomActions.Add(this);
        PythonRuntime.EnsureInitialized();
        using (Gil.Acquire())
        {
            helpers = new ReloadHelpers();
            audioBusy = gap is null ? null : new AudioBusyFunction(gap);
        }
        // The first swap of a show must not pay for first times: compile our methods now (the JIT compiles each fully at first call).
        JitWarmup.Prepare(typeof(HotReloader), nameof(Apply), nameof(Swap), nameof(RollBackNewest), nameof(SubmitLocked), nameof(SwapInGap), nameof(PollLocked));
    }

    /// <summary>
    /// Every reload so far, good or bad: a list that never changes once returned; any thread. Read without the
    /// lock, which a submission waiting for the GIL may hold for as long as the audio thread keeps it.
    /// </summary>
    public IReadOnlyList<ReloadRecord> Records => Volatile.Read(ref records);

    /// <summary>Stopwatch timestamp at which the last good swap went live (0: none yet). Control thread.</summary>
    public long LastSwapAppliedAt { get; private set; }

    /// <summary>
    /// Hands a compile result to the engine: a good one is swapped in at the k-cycle holding <paramref name="frame"/>
    /// (0: the next one, in the idle gap if there is one); a bad one is logged with its file and line, and nothing
    /// changes. One thread at a time (see the remarks).
    /// </summary>
    public void Submit(CompileResult result, long seenAt, long frame = 0)
    {
        lock (submitLock) SubmitLocked(result, seenAt, frame);
    }

    private unsafe void SubmitLocked(CompileResult result, long seenAt, long frame)
    {
        if (!result.Ok)
        {
            log(MessageKind.Error, $"reload: {result.Describe()}\nreload: the previous code keeps running");
            Record(new ReloadRecord(result.Path, false, result.Describe(), 0, Elapsed(seenAt), engine.FramesPerformed / engine.SampleRate));
            return;
        }
        var inGap = frame == 0 && gap is not null && gap.WaitForCallbackGap(); // a swap placed on a frame runs on the audio thread
        using (Gil.Acquire())
        {
            nint code;
            fixed (byte* p = result.MarshalledCode) code = PyApi.PyMarshal_ReadObjectFromString(p, result.MarshalledCode!.Length).Steal().Pointer;
            if (code == 0)
            {
                using var text = PythonRuntime.TakeExceptionText();
                var error = PythonRuntime.ToManagedString(text).TrimEnd();
                log(MessageKind.Error, $"reload: {Path.GetFileName(result.Path)}: the compiled code does not load ({error}); nothing changed");
                Record(new ReloadRecord(result.Path, false, error, 0, Elapsed(seenAt), engine.FramesPerformed / engine.SampleRate));
                return;
            }
            var index = slots.Claim(result.Path, seenAt, ModuleDefinitions.Read(result.Path));
            slots[index].Marshalled = result.MarshalledCode!;
            // In the gap when this swap is next in line: a queued swap must run first, since this module's code
            // may read what that one defines.
            if (inGap && slots.Pending == 0 && SwapInGap(index, code)) return;
            // On the audio thread. The names the module will store, and their values now, are taken there, since only
            // it sees the state the swap will replace once other queued swaps have run.
            slots.Hand(index, code);
            var action = new TimedAction { Frame = frame, Kind = TimedActionKind.Custom, Handler = handler, ChannelSlot = index, Count = OpSwap };
            if (!engine.Enqueue(action)) log(MessageKind.Error, "reload: the engine's queue is full; save again");
        }
    }

    /// <summary>
    /// In the idle gap, GIL held: runs the module code into <c>__main__</c>. True when it is done with (swapped, or
    /// failed and undone; the outcome is queued for <see cref="Poll"/>); false when the next callback started first,
    /// the module's changes were undone, and the swap must go to the audio thread.
    /// </summary>
    private bool SwapInGap(int index, nint code)
    {
        var outcome = new SwapOutcome
        {
            Slot = index, Op = OpSwap, InGap = true, Frame = engine.FramesPerformed,
            ErrorsAtSwap = PythonErrors.Count, LastErrorAtSwap = PythonErrors.LastAt,
        };
        var before = helpers.Swap(code, audioBusy!.Function);
        if (!before.IsNull && before.DangerousPointer == PythonRuntime.None.Pointer)
        {
            // Overrun: undone; the audio thread may have waited from its callback's start until the GIL comes free.
            before.Dispose();
            slots[index].OverrunTicks = OverlapWithCallback();
            return false;
        }
        PyApi.Py_DecRef(code);
        if (before.IsNull) outcome.ErrorText = PythonRuntime.TakeExceptionText().Steal().Pointer;
        else Remember(before.Steal().Pointer);
        outcome.Ok = outcome.ErrorText == 0;
        if (outcome.Ok) Opcodes.RunawayCalls.ForgiveAll(); // new code: functions the watchdog benched may be called again
        outcome.AppliedAt = Stopwatch.GetTimestamp();
        outcome.StallTicks = OverlapWithCallback();
        outcomes.TryEnqueue(outcome);
        return true;
    }

    /// <summary>Ticks since the callback now running started (0 between callbacks): how long it may have waited for us.</summary>
    private long OverlapWithCallback()
    {
        var started = gap!.CallbackStartedAt;
        return started == 0 ? 0 : Math.Max(0, Stopwatch.GetTimestamp() - started);
    }

    /// <summary>
    /// Each swap that went live and each rollback that undid one, with the frame of the k-cycle it preceded: for the
    /// show log. Called on the control thread by <see cref="Poll"/>.
    /// </summary>
    public Action<ReloadLogged>? Logged { get; set; }

    /// <summary>Undoes the newest good swap at the k-cycle holding <paramref name="frame"/> (a replay). Control thread.</summary>
    public void RollBackAt(long frame)
    {
        lock (rollbackReasons)
        {
            if (engine.Enqueue(new TimedAction { Frame = frame, Kind = TimedActionKind.Custom, Handler = handler, Count = OpRollback, ChannelSlot = -1 }))
                rollbackReasons.Enqueue("as the show did");
        }
    }

    /// <summary>Undoes the newest good swap at the next k-boundary (the command a performer gives by hand). Any thread.</summary>
    public void RollBack() => RollBackFor("by hand");

    private void RollBackFor(string why)
    {
        lock (rollbackReasons)
        {
            if (engine.Enqueue(new TimedAction { Kind = TimedActionKind.Custom, Handler = handler, Count = OpRollback, ChannelSlot = -1 }))
                rollbackReasons.Enqueue(why); // in the order the engine will apply them
        }
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
            if (action.Count == OpSwap) outcome.Ok = Swap(action.ChannelSlot, ref outcome);
            else outcome.Ok = RollBackNewest(ref outcome);
            if (outcome.Ok) Opcodes.RunawayCalls.ForgiveAll(); // new code: functions the watchdog benched may be called again
        }
        outcome.StallTicks = Stopwatch.GetTimestamp() - start;
        outcome.AppliedAt = Stopwatch.GetTimestamp();
        outcomes.TryEnqueue(outcome);
    }

    private bool Swap(int index, ref SwapOutcome outcome)
    {
        var code = slots.Take(index);
        if (code == 0) return false; // superseded before it was applied
        var taken = helpers.Swap(code); // the snapshot it took
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
        using var result = helpers.RollBack(previous);
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
            if (o.Op == OpRollback)
            {
                string why;
                lock (rollbackReasons) why = rollbackReasons.TryDequeue(out var w) ? w : "by hand";
                if (o.Ok) MarkRolledBack(why);
                if (o.Ok) Logged?.Invoke(new ReloadLogged(null, o.Frame, false, []));
                log(o.Ok ? MessageKind.Warning : MessageKind.Error,
                    o.Ok ? "reload: rolled back to the previous version" : $"reload: nothing to roll back{(error is null ? "" : ": " + error)}");
                continue;
            }
            var slot = slots[o.Slot];
            var overrun = slot.OverrunTicks;
            var stallUs = (o.StallTicks + overrun) * 1e6 / Stopwatch.Frequency;
            var saveToLive = (o.AppliedAt - slot.SeenAt) * 1e3 / Stopwatch.Frequency;
            Record(new ReloadRecord(slot.Path, o.Ok, error, stallUs, saveToLive, o.Frame / engine.SampleRate, o.InGap ? "gap" : "audio_thread"));
            if (o.Ok) Logged?.Invoke(new ReloadLogged(slot.Path, o.Frame, o.InGap, slot.Marshalled));
            if (o.Ok)
            {
                LastSwapAppliedAt = o.AppliedAt;
                var where = o.InGap ? "between callbacks" : overrun > 0 ? "on the audio thread: its module code outlasted the idle gap" : "on the audio thread";
                log(MessageKind.Info, $"reload: {Path.GetFileName(slot.Path)} is live ({where}; audio stall {stallUs:0} us, save to live {saveToLive:0.0} ms)");
                if (autoRollback) regressions.Watch(slot.Path, o.AppliedAt, o.ErrorsAtSwap, o.LastErrorAtSwap);
                SayWhatIsNoLongerDefined(slot.Path, slot.Defines);
            }
            else
            {
                log(MessageKind.Error, $"reload: {Path.GetFileName(slot.Path)} raised while loading; nothing changed:\n{error}");
            }
        }
        if (regressions.Regressed() is { } regressed)
        {
            log(MessageKind.Error, $"reload: the new {Path.GetFileName(regressed)} raises where the previous version did not; rolling back");
            RollBackFor("it raised where the previous version did not");
        }
    }

    /// <summary>
    /// Control thread: what this file is known to define, before its first reload (the version the orchestra loaded).
    /// </summary>
    public void KnowDefinitions(string path) => definedBefore.TryAdd(Path.GetFullPath(path), ModuleDefinitions.Read(path));

    /// <summary>A function deleted from the file still answers calls (the new code only adds and replaces): say so.</summary>
    private void SayWhatIsNoLongerDefined(string path, string[] now)
    {
        var key = Path.GetFullPath(path);
        if (definedBefore.TryGetValue(key, out var before) && before.Except(now).ToArray() is { Length: > 0 } gone)
            log(MessageKind.Warning, $"reload: {Path.GetFileName(path)} no longer defines {string.Join(", ", gone)}; " +
                "the old definition stays in Python and still answers calls until the show restarts");
        definedBefore[key] = now;
    }

    /// <summary>The newest reload still live is no longer: its record says so (ok false, and why).</summary>
    private void MarkRolledBack(string why)
    {
        var list = records;
        for (var i = list.Length - 1; i >= 0; i--)
        {
            if (!list[i].Ok) continue;
            var updated = list.ToArray();
            updated[i] = list[i] with { Ok = false, RolledBack = why };
            Volatile.Write(ref records, updated);
            return;
        }
    }

    private static double Elapsed(long since) => (Stopwatch.GetTimestamp() - since) * 1e3 / Stopwatch.Frequency;

    /// <summary>Control thread, after the audio thread has stopped.</summary>
    public void Dispose()
    {
        using var gil = Gil.Acquire();
        while (undo.Pop() is var snapshot && snapshot != 0) PyApi.Py_DecRef(snapshot);
        slots.ReleaseAll();
        audioBusy?.Dispose();
        helpers.Dispose();
    }
}

/// <summary>A swap that went live or a rollback.</summary>
/// <param name="Path">The file swapped in; null for a rollback.</param>
/// <param name="Code">Its marshalled code (empty for a rollback).</param>
/// <param name="Frame">The first frame of the k-cycle it came before.</param>
/// <param name="InGap">Whether it ran between callbacks rather than on the audio thread.</param>
public sealed record ReloadLogged(string? Path, long Frame, bool InGap, byte[] Code);
