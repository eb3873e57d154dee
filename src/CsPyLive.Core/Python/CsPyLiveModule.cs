using System.Runtime.InteropServices;
using CsPyLive.Python.CPython;
using CsPyLive.Sync;

namespace CsPyLive.Python;

/// <summary>
/// The Python module <c>cspylive</c> the orchestra's Python imports: <c>beat()</c>, <c>tempo()</c>,
/// <c>set_tempo(bpm)</c> and <c>quantum()</c>, over the show's <see cref="BeatClock"/>. Each is a builtin whose body is
/// a C# <c>[UnmanagedCallersOnly]</c> method that reads what the audio thread last published (a field read and a
/// <c>PyFloat_FromDouble</c>): cheap enough for a <c>pycall</c> every k-cycle, and nothing allocated on our side.
/// </summary>
/// <remarks>
/// The module is made once per interpreter (<see cref="Install"/>, from <see cref="PythonRuntime"/>'s set-up) and put
/// in <c>sys.modules</c>, so <c>import cspylive</c> finds it whatever the path. The clock is process-wide, as the
/// interpreter is: a show sets <see cref="Clock"/> when it starts and clears it when it ends. Without a clock
/// (<c>pyrun</c> outside a show), <c>beat()</c> is 0.0, <c>tempo()</c> 120.0, <c>quantum()</c> 4.0 and
/// <c>set_tempo</c> does nothing. <c>set_tempo</c> takes effect from the next period (on Link, for every peer);
/// it raises ValueError for a tempo out of 20..999 BPM.
/// </remarks>
public static unsafe class CsPyLiveModule
{
    private static readonly PyMethodDef* BeatDef = BuiltinFunction.Define("beat", &BeatFunction, PyApi.METH_NOARGS);
    private static readonly PyMethodDef* TempoDef = BuiltinFunction.Define("tempo", &TempoFunction, PyApi.METH_NOARGS);
    private static readonly PyMethodDef* QuantumDef = BuiltinFunction.Define("quantum", &QuantumFunction, PyApi.METH_NOARGS);
    private static readonly PyMethodDef* SetTempoDef = BuiltinFunction.Define("set_tempo", &SetTempoFunction, PyApi.METH_O);
    private static readonly byte* OutOfRange = (byte*)Marshal.StringToCoTaskMemUTF8(
        $"set_tempo: the tempo must be between {SyncConfig.MinTempo} and {SyncConfig.MaxTempo} BPM");
    private static nint valueError;
    private static BeatClock? clock;

    /// <summary>The show's clock the functions read; null between shows. Set on the control thread.</summary>
    public static BeatClock? Clock
    {
        get => Volatile.Read(ref clock);
        set => Volatile.Write(ref clock, value);
    }

    /// <summary>Creates the module in <c>sys.modules</c>. GIL held; once per interpreter.</summary>
    internal static void Install()
    {
        var module = PyApi.PyImport_AddModule("cspylive");
        if (module.IsNull) throw PythonException.Fetch("cannot create the cspylive module");
        var dict = PyApi.PyModule_GetDict(module);
        foreach (var (name, def) in new[] { ("beat", (nint)BeatDef), ("tempo", (nint)TempoDef), ("quantum", (nint)QuantumDef), ("set_tempo", (nint)SetTempoDef) })
        {
            using var function = BuiltinFunction.Create((PyMethodDef*)def);
            if (function.IsNull || PyApi.PyDict_SetItemString(dict, name, function) != 0) throw PythonException.Fetch($"cannot define cspylive.{name}");
        }
        using (var doc = PyApi.PyUnicode_FromStringAndSize(DocText, DocLength))
            PyApi.PyDict_SetItemString(dict, "__doc__", doc);
        valueError = *(nint*)PyApi.DataSymbol("PyExc_ValueError");
    }

    private static readonly byte* DocText = (byte*)Marshal.StringToCoTaskMemUTF8(
        "CsPyLive's beat clock: beat(), tempo(), set_tempo(bpm), quantum(). The values of the k-cycle being performed.");

    private static readonly int DocLength = Marshal.PtrToStringUTF8((nint)DocText)!.Length;

    [UnmanagedCallersOnly]
    private static nint BeatFunction(nint self, nint unused) => Float(Clock is { } c ? c.Beat : 0);

    [UnmanagedCallersOnly]
    private static nint TempoFunction(nint self, nint unused) => Float(Clock is { } c ? c.Tempo : 120);

    [UnmanagedCallersOnly]
    private static nint QuantumFunction(nint self, nint unused) => Float(Clock is { } c ? c.Quantum : 4);

    [UnmanagedCallersOnly]
    private static nint SetTempoFunction(nint self, nint bpm)
    {
        var value = PyApi.PyFloat_AsDouble(new(bpm));
        if (value == -1 && !PyApi.PyErr_Occurred().IsNull) return 0; // TypeError already set: not a number
        if (!SyncConfig.IsTempo(value))
        {
            PyApi.PyErr_SetString(new(valueError), OutOfRange);
            return 0;
        }
        Clock?.RequestTempo(value);
        var none = PythonRuntime.None.Pointer;
        PyApi.Py_IncRef(none);
        return none;
    }

    private static nint Float(double value) => PyApi.PyFloat_FromDouble(value).Steal().Pointer;
}
