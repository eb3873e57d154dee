using System.Diagnostics;
using System.Runtime.InteropServices;
using CsPyLive.Csound;
using CsPyLive.Python.CPython;
using CsPyLive.Realtime;

namespace CsPyLive.Python;

/// <summary>
/// Interrupts Python code that keeps the audio thread busy past its budget — an endless loop in a function a
/// <c>pycall</c> calls — so the show goes on: the call raises <c>RunawayPythonError</c>, the opcode reports it like
/// any Python exception (the note keeps its last outputs), and the next period plays.
/// </summary>
/// <remarks>
/// A watchdog thread looks every couple of milliseconds at when the current audio callback started. Past the
/// budget it takes the GIL — which the looping audio thread hands over within Python's switch interval (0.5 ms
/// here) — and asks CPython to raise in the audio thread (<c>PyThreadState_SetAsyncExc</c>). Code stuck inside one
/// long C call (not bytecode) cannot be interrupted this way; it is reported once the call returns. A callback that
/// goes on past the budget after an interruption (the next k-cycle calls the same endless function) is interrupted
/// again, a budget later; a target interrupted <see cref="Opcodes.RunawayCalls.InterruptsToBench"/> times is no
/// longer called (<see cref="Opcodes.RunawayCalls"/>), so the show plays on. In a render there is no period to
/// overrun: the gap given is <see cref="KCycleProgress"/>, and only a k-cycle that does not end within the (longer)
/// budget is interrupted. One watchdog
/// per show; it learns which thread to interrupt at the first callback of each run (<see cref="OnAudioThread"/>:
/// after a device restart the audio thread is a new one).
/// </remarks>
public sealed class PythonWatchdog : IAudioThreadObserver, IDisposable
{
    private readonly ICallbackGap gap;
    private readonly long budgetTicks;
    private readonly MessageLog log;
    private readonly Thread thread;
    private readonly nint runawayError; // owned exception class
    private volatile bool running = true;
    private ulong audioThreadIdent;
    private long interrupts;

    /// <param name="gap">When the running callback started (0 between callbacks).</param>
    /// <param name="budget">How long one callback may run before Python in it is interrupted.</param>
    /// <param name="log">Where the interruption is reported.</param>
    public PythonWatchdog(ICallbackGap gap, TimeSpan budget, MessageLog log)
    {
        this.gap = gap;
        budgetTicks = (long)(budget.TotalSeconds * Stopwatch.Frequency);
        this.log = log;
        PythonRuntime.EnsureInitialized();
        using (Gil.Acquire())
        {
            PythonRuntime.DefineHelpers("""
                class RunawayPythonError(RuntimeError):
                    def __init__(self, *args):
                        super().__init__(args[0] if args else
                            "interrupted by CsPyLive's watchdog: this call kept the audio thread past its time budget")
                """, "<cspylive-watchdog>");
            runawayError = PythonRuntime.Helper("RunawayPythonError");
            Opcodes.RunawayCalls.ErrorType = runawayError;
        }
        thread = new Thread(Watch) { IsBackground = true, Name = "cspylive-python-watchdog", Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>
    /// A render's budget for one k-cycle: at least 2 s. Offline, slow is allowed (a heavy block, a long computation);
    /// only Python that does not return is stopped.
    /// </summary>
    public static TimeSpan RenderBudget(double budgetMs) => TimeSpan.FromMilliseconds(Math.Max(budgetMs, 2000));

    /// <summary>How many times Python was interrupted.</summary>
    public long Interrupts => Interlocked.Read(ref interrupts);

    /// <summary>Audio thread, at the first callback of a run: remembers which thread to interrupt. No GIL needed.</summary>
    public void OnAudioThread() => Volatile.Write(ref audioThreadIdent, (ulong)PyApi.PyThread_get_thread_ident().Value);

    private void Watch()
    {
        long interruptedCallback = 0, interruptedAt = 0;
        while (running)
        {
            Thread.Sleep(2);
            var started = gap.CallbackStartedAt;
            var ident = Volatile.Read(ref audioThreadIdent);
            if (started == 0 || ident == 0) continue;
            // A budget from the callback's start, or from the last interruption in this same callback.
            var from = started == interruptedCallback ? interruptedAt : started;
            if (Stopwatch.GetTimestamp() - from < budgetTicks) continue;
            using (Gil.Acquire())
            {
                if (gap.CallbackStartedAt != started) continue; // it finished while we waited for the GIL
                PyApi.PyThreadState_SetAsyncExc(new CULong(checked((nuint)ident)), new BorrowedReference(runawayError));
                interruptedAt = Stopwatch.GetTimestamp();
            }
            interruptedCallback = started;
            Interlocked.Increment(ref interrupts);
            log.Write(MessageKind.Error,
                $"watchdog: Python code kept the audio thread busy for more than {budgetTicks * 1000.0 / Stopwatch.Frequency:0} ms; interrupted it\n");
        }
    }

    public void Dispose()
    {
        running = false;
        thread.Join();
        using (Gil.Acquire())
        {
            Opcodes.RunawayCalls.ErrorType = 0;
            PyApi.Py_DecRef(runawayError);
        }
    }
}
