using System.Diagnostics;
using System.Runtime.CompilerServices;
using CsPyLive.Python.CPython;

namespace CsPyLive.Python;

/// <summary>
/// Holds the GIL for a scope: <c>using var gil = Gil.Acquire();</c>. Re-entrant (a thread that already holds it just
/// counts up), usable from any thread once <see cref="PythonRuntime.EnsureInitialized"/> has run.
/// </summary>
/// <remarks>
/// <para><c>PyGILState_Release</c> destroys the thread's PyThreadState when its count returns to zero, so a thread
/// that called Ensure/Release in a loop would create and free a thread state on every call (slow, and it allocates in
/// C). The first acquisition on a thread therefore leaves one Ensure outstanding and releases the GIL with
/// <c>PyEval_SaveThread</c>: the thread keeps its state for life (one small C struct per thread that ever used Python),
/// and every later Ensure/Release is just "take the GIL" / "drop the GIL".</para>
/// <para>A <c>readonly ref struct</c>: it cannot be stored or boxed, so a scope cannot outlive the stack frame.</para>
/// </remarks>
internal readonly ref struct Gil : IDisposable
{
    [ThreadStatic] private static bool threadPrimed;
    [ThreadStatic] private static bool timeWaits;
    private static long maxWaitTicks;

    /// <summary>
    /// From now on, this thread's acquisitions are timed into <see cref="MaxWaitTicks"/> (two clock reads each): for
    /// benchmarks that want to see, from the audio thread's side, whether anyone kept it waiting for the GIL.
    /// </summary>
    internal static void TimeWaitsOnThisThread() => timeWaits = true;

    /// <summary>The longest acquisition seen on timed threads, in Stopwatch ticks; reset with <see cref="ResetMaxWait"/>.</summary>
    internal static long MaxWaitTicks => Volatile.Read(ref maxWaitTicks);

    internal static void ResetMaxWait() => Volatile.Write(ref maxWaitTicks, 0);

    private readonly int state;

    private Gil(int state) => this.state = state;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Gil Acquire()
    {
        if (!threadPrimed) PrimeThread();
        if (!timeWaits) return new Gil(PyApi.PyGILState_Ensure());
        var started = Stopwatch.GetTimestamp();
        var gil = new Gil(PyApi.PyGILState_Ensure());
        var waited = Stopwatch.GetTimestamp() - started;
        if (waited > Volatile.Read(ref maxWaitTicks)) Volatile.Write(ref maxWaitTicks, waited);
        return gil;
    }

    /// <summary>True if this thread holds the GIL now.</summary>
    public static bool IsHeld => PythonRuntime.IsInitialized && PyApi.PyGILState_Check() != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose() => PyApi.PyGILState_Release(state);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PrimeThread()
    {
        PythonRuntime.EnsureInitialized();
        if (PyApi.PyGILState_Check() == 0)
        {
            PyApi.PyGILState_Ensure();   // creates this thread's state and takes the GIL; never released
            PyApi.PyEval_SaveThread();   // drop the GIL, keep the state
        }
        threadPrimed = true;
    }
}
