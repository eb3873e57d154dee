using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsPyLive.Python.CPython;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// pyrun*/pyexec* (run a compiled code object), pyeval* (evaluate into a number) and pyassign* (bind a name to a
/// float), global and local. Code is compiled once at init; a k-cycle only evaluates it. Perf functions return OK even
/// when Python raised: the error is logged (once per distinct error) and the note goes on.
/// </summary>
internal static unsafe class PyCodeOpcodes
{
    private const int OK = 0;

    /// <summary>The name through which pyassign reaches a non-identifier target ("d['k']", "obj.x").</summary>
    internal const string AssignTemporary = "__cspylive_value__";

    private static nint assignTemporaryName;

    [UnmanagedCallersOnly]
    internal static int RunPerf(nint csound, nint p) => Perform(csound, p, OpcodeFamily.Run);

    [UnmanagedCallersOnly]
    internal static int EvalPerf(nint csound, nint p) => Perform(csound, p, OpcodeFamily.Eval);

    [UnmanagedCallersOnly]
    internal static int AssignPerf(nint csound, nint p) => Perform(csound, p, OpcodeFamily.Assign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Perform(nint csound, nint p, OpcodeFamily family)
    {
        try
        {
            var s = OpcodeBlock.State(p);
            if ((s->Flags & OpcodeFlags.Ready) == 0) return OK;
            if (s->TriggerSlot >= 0 && *OpcodeBlock.Arg(p, s->TriggerSlot) == 0) return OK;
            using var gil = Gil.Acquire();
            if (RunawayCalls.IsBenched(s->Target)) return OK; // the outputs keep their last values
            var ok = family switch
            {
                OpcodeFamily.Run => Run(s),
                OpcodeFamily.Eval => Eval(p, s),
                _ => Assign(p, s),
            };
            if (!ok) return OpcodeErrors.ReportPerf(csound, p, s);
        }
        catch
        {
            // nothing may cross into C; a managed failure here would be a bug, and the note goes on
        }
        return OK;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BorrowedReference Locals(OpcodeState* s) => s->Locals != 0 ? new(s->Locals) : PythonRuntime.MainDict;

    /// <summary>Runs the compiled statements. GIL held; false with a Python error pending.</summary>
    internal static bool Run(OpcodeState* s)
    {
        using var result = PyApi.PyEval_EvalCode(new(s->Target), PythonRuntime.MainDict, Locals(s));
        return !result.IsNull;
    }

    /// <summary>Evaluates the expression into the output: any float, int, bool or object with __float__.</summary>
    internal static bool Eval(nint p, OpcodeState* s)
    {
        using var result = PyApi.PyEval_EvalCode(new(s->Target), PythonRuntime.MainDict, Locals(s));
        if (result.IsNull) return false;
        var value = PyApi.PyFloat_AsDouble(result);
        if (value == -1.0 && !PyApi.PyErr_Occurred().IsNull) return false;
        *OpcodeBlock.Arg(p, 0) = value;
        return true;
    }

    /// <summary>Binds the name (in __main__, or the note's dict for pyl*) to a float holding the exact value.</summary>
    internal static bool Assign(nint p, OpcodeState* s)
    {
        using var value = PyApi.PyFloat_FromDouble(*OpcodeBlock.Arg(p, s->ValueSlot));
        if (value.IsNull) return false;
        var ns = Locals(s);
        if ((s->Flags & OpcodeFlags.TargetIsCode) == 0) return PyApi.PyDict_SetItem(ns, new(s->Target), value) == 0;
        if (assignTemporaryName == 0) assignTemporaryName = OpcodeInit.Intern(AssignTemporary).Steal().Pointer;
        if (PyApi.PyDict_SetItem(ns, new(assignTemporaryName), value) != 0) return false;
        using var result = PyApi.PyEval_EvalCode(new(s->Target), PythonRuntime.MainDict, ns);
        return !result.IsNull;
    }
}
