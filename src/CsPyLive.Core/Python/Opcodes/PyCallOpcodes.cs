using System.Runtime.InteropServices;
using CsPyLive.Python.CPython;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// pycall, pycall1..8, their t and i forms, pycalln/pycallni, and the pyl* twins: call a callable found by name on
/// every call (so rebinding the name in Python changes the next call), with the arguments as exact Python floats, no
/// text formatting. The k-rate path allocates nothing in .NET: arguments go in a stack array through
/// PyObject_Vectorcall (no argument tuple at all), results are written straight into Csound's variables.
/// </summary>
internal static unsafe class PyCallOpcodes
{
    private const int OK = 0;

    [UnmanagedCallersOnly]
    internal static int CallPerf(nint csound, nint p)
    {
        try
        {
            var s = OpcodeBlock.State(p);
            if ((s->Flags & OpcodeFlags.Ready) == 0) return OK;
            if (s->TriggerSlot >= 0 && *OpcodeBlock.Arg(p, s->TriggerSlot) == 0) return OK;
            using var gil = Gil.Acquire();
            if (RunawayCalls.IsBenched(s->Target)) return OK; // the outputs keep their last values
            if (!Call(csound, p, s)) return OpcodeErrors.ReportPerf(csound, p, s);
        }
        catch
        {
            // nothing may cross into C
        }
        return OK;
    }

    /// <summary>One call. GIL held; false with a Python error pending (outputs untouched).</summary>
    internal static bool Call(nint csound, nint p, OpcodeState* s)
    {
        // Find the callable: locals (pyl*), then __main__, then builtins; or evaluate a dotted expression.
        NewReference owned = default;
        BorrowedReference callable;
        if ((s->Flags & OpcodeFlags.TargetIsCode) != 0)
        {
            var ns = s->Locals != 0 ? new BorrowedReference(s->Locals) : PythonRuntime.MainDict;
            owned = PyApi.PyEval_EvalCode(new(s->Target), PythonRuntime.MainDict, ns);
            if (owned.IsNull) return false;
            callable = owned;
        }
        else
        {
            callable = Lookup(s);
            if (callable.IsNull)
            {
                if (!PyApi.PyErr_Occurred().IsNull) return false;
                var name = s->Target;
                using var raised = PyApi.PyObject_Vectorcall(PythonRuntime.NameErrorHelper, &name, 1, 0);
                return false;
            }
        }

        var count = s->Args;
        var args = stackalloc nint[count == 0 ? 1 : count];
        var made = 0;
        NewReference result = default;
        for (; made < count; made++)
        {
            var arg = PyApi.PyFloat_FromDouble(*OpcodeBlock.Arg(p, s->ArgSlot + made));
            if (arg.IsNull) break;
            args[made] = arg.Steal().Pointer;
        }
        if (made == count) result = PyApi.PyObject_Vectorcall(callable, args, (nuint)count, 0);
        for (var i = 0; i < made; i++) PyApi.Py_DecRef(args[i]);
        owned.Dispose();
        if (result.IsNull) return false;
        using (result) return StoreResults(p, s, result);
    }

    private static BorrowedReference Lookup(OpcodeState* s)
    {
        var name = new BorrowedReference(s->Target);
        BorrowedReference found;
        if (s->Locals != 0)
        {
            found = PyApi.PyDict_GetItemWithError(new(s->Locals), name);
            if (!found.IsNull || !PyApi.PyErr_Occurred().IsNull) return found;
        }
        found = PyApi.PyDict_GetItemWithError(PythonRuntime.MainDict, name);
        if (!found.IsNull || !PyApi.PyErr_Occurred().IsNull) return found;
        return PyApi.PyDict_GetItemWithError(PythonRuntime.BuiltinsDict, name);
    }

    private static bool StoreResults(nint p, OpcodeState* s, BorrowedReference result)
    {
        var n = s->Results;
        if (n == 0) return true; // pycall: the result is ignored
        if (n == 1)
        {
            var v = PyApi.PyFloat_AsDouble(result);
            if (v == -1.0 && !PyApi.PyErr_Occurred().IsNull) return false;
            *OpcodeBlock.Arg(p, s->ResultSlot) = v;
            return true;
        }
        var values = stackalloc double[n];
        if (PyApi.TypeOf(result) == PythonRuntime.TupleType && PyApi.PyTuple_Size(result) == n)
        {
            for (var i = 0; i < n; i++)
            {
                values[i] = PyApi.PyFloat_AsDouble(PyApi.PyTuple_GetItem(result, i));
                if (values[i] == -1.0 && !PyApi.PyErr_Occurred().IsNull) return false;
            }
        }
        else if (PyApi.PySequence_Check(result) != 0 && PyApi.PySequence_Size(result) == n)
        {
            for (var i = 0; i < n; i++)
            {
                using var item = PyApi.PySequence_GetItem(result, i);
                if (item.IsNull) return false;
                values[i] = PyApi.PyFloat_AsDouble(item);
                if (values[i] == -1.0 && !PyApi.PyErr_Occurred().IsNull) return false;
            }
        }
        else
        {
            PyApi.PyErr_Clear(); // a failed len() of a non-sequence
            RaiseResultError(s, result, n);
            return false;
        }
        for (var i = 0; i < n; i++) *OpcodeBlock.Arg(p, s->ResultSlot + i) = values[i];
        return true;
    }

    private static void RaiseResultError(OpcodeState* s, BorrowedReference result, int n)
    {
        // Formatted in Python: an error path, and .NET stays allocation-free even when it repeats every k-cycle.
        using var count = PyApi.PyLong_FromSsize_t(n);
        var args = stackalloc nint[3] { s->Target, count.DangerousPointer, result.Pointer };
        using var raised = PyApi.PyObject_Vectorcall(PythonRuntime.ResultErrorHelper, args, 3, 0);
    }
}
