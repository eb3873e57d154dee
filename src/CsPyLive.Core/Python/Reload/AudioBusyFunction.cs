using System.Runtime.InteropServices;
using CsPyLive.Python.CPython;
using CsPyLive.Realtime;

namespace CsPyLive.Python.Reload;

/// <summary>
/// A Python builtin <c>audio_busy()</c> bound to one <see cref="ICallbackGap"/>: True while a callback runs. A gap
/// swap's line tracer calls it between lines to give up as soon as the next callback has started. The gap travels
/// in the function's <c>self</c> (a GCHandle in a Python int), so two reloaders never share state.
/// </summary>
internal sealed unsafe class AudioBusyFunction : IDisposable
{
    /// <summary>The method definition every such function points at: made once, never changed or freed.</summary>
    private static readonly PyMethodDef* Method = BuiltinFunction.Define("audio_busy", &AudioBusy, PyApi.METH_NOARGS);

    private GCHandle gap;
    private nint function;

    /// <summary>GIL held.</summary>
    public AudioBusyFunction(ICallbackGap callbackGap)
    {
        gap = GCHandle.Alloc(callbackGap);
        using var self = PyApi.PyLong_FromVoidPtr(GCHandle.ToIntPtr(gap));
        function = PyApi.PyCFunction_NewEx(Method, self, default).Steal().Pointer;
        if (function == 0) throw PythonException.Fetch("cannot create audio_busy");
    }

    /// <summary>The function object (borrowed).</summary>
    public nint Function => function;

    [UnmanagedCallersOnly]
    private static nint AudioBusy(nint self, nint unused)
    {
        try
        {
            var busy = GCHandle.FromIntPtr(PyApi.PyLong_AsVoidPtr(self)).Target is ICallbackGap g && g.CallbackStartedAt != 0;
            return PyApi.PyBool_FromLong(new CLong(busy ? 1 : 0)).Steal().Pointer;
        }
        catch
        {
            return PyApi.PyBool_FromLong(new CLong(1)).Steal().Pointer; // when in doubt, give the GIL back
        }
    }

    /// <summary>GIL held.</summary>
    public void Dispose()
    {
        if (function != 0) PyApi.Py_DecRef(function);
        function = 0;
        if (gap.IsAllocated) gap.Free();
    }
}
