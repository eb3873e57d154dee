using CsPyLive.Python.CPython;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// Python the watchdog had to interrupt again and again. A function that never returns, called every k-cycle, would
/// be interrupted once per budget for the rest of the show (a callback of 25 ms each time: the audio is gone). So
/// after <see cref="InterruptsToBench"/> interruptions of one call target it is <i>benched</i>: no opcode calls it
/// any more, their outputs keep their last values, and the note that met the last interruption is turned off with
/// a Csound perf error. A reload (a save, or a rollback) lets every benched function be called again.
/// </summary>
/// <remarks>
/// <para>The target is what an opcode calls: the interned name of a function (so every note calling <c>spin</c>
/// shares it, and a reloaded <c>spin</c> under the same name is the one that resumes), or the code object of a
/// <c>pyrun</c>/<c>pyeval</c>. A reference to each is held while it is listed, so its address is not reused.</para>
/// <para>Threads: the performing thread (opcodes) and reload swaps (on the performing thread, or while it is idle
/// between callbacks); always with the GIL held, which orders them. The k-rate check is one read of a static while
/// nothing is benched.</para>
/// </remarks>
internal static class RunawayCalls
{
    internal const int InterruptsToBench = 3;
    private const int Capacity = 64;

    private static readonly nint[] targets = new nint[Capacity]; // owned references
    private static readonly int[] interrupts = new int[Capacity];
    private static int count;
    private static int benched;

    /// <summary>The watchdog's exception class (<c>RunawayPythonError</c>); 0 while no watchdog runs. Borrowed.</summary>
    internal static nint ErrorType { get; set; }

    /// <summary>True when <paramref name="target"/> is benched and must not be called. GIL held.</summary>
    internal static bool IsBenched(nint target)
    {
        if (benched == 0) return false;
        var i = IndexOf(target);
        return i >= 0 && interrupts[i] >= InterruptsToBench;
    }

    /// <summary>
    /// Counts one interruption of <paramref name="target"/>; true when this one benches it. GIL held. When 64
    /// targets are listed already, a new one is not counted (it is still interrupted every time).
    /// </summary>
    internal static bool RecordInterrupt(nint target)
    {
        var i = IndexOf(target);
        if (i < 0)
        {
            if (count == Capacity) return false;
            i = count++;
            PyApi.Py_IncRef(target);
            targets[i] = target;
            interrupts[i] = 0;
        }
        if (++interrupts[i] != InterruptsToBench) return false;
        benched++;
        return true;
    }

    /// <summary>How many targets are benched now.</summary>
    internal static int Benched => benched;

    /// <summary>Lets every benched target be called again, and forgets the counts: after a reload. GIL held.</summary>
    internal static void ForgiveAll()
    {
        for (var i = 0; i < count; i++)
        {
            PyApi.Py_DecRef(targets[i]);
            targets[i] = 0;
        }
        count = 0;
        benched = 0;
    }

    private static int IndexOf(nint target)
    {
        for (var i = 0; i < count; i++)
            if (targets[i] == target) return i;
        return -1;
    }
}
