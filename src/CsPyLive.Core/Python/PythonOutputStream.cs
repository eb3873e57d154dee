using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsPyLive.Csound;
using CsPyLive.Python.CPython;

namespace CsPyLive.Python;

/// <summary>
/// The C function behind <c>sys.stdout.write</c> / <c>sys.stderr.write</c>: copies the text's UTF-8 into
/// <see cref="PythonRuntime.Output"/> as <see cref="MessageKind.Python"/>. Called with the GIL held, on whichever thread
/// printed (usually the performing thread, inside an opcode): it allocates nothing and never blocks, and since it
/// writes to the same queue as Csound's message callback, print() lines stay in order with Csound's messages.
/// </summary>
internal static unsafe class PythonOutputStream
{
    private static PyMethodDef* method;

    /// <summary>A new builtin function object <c>_write(str) -> int</c> (GIL held).</summary>
    internal static NewReference CreateWriteFunction()
    {
        if (method == null) method = BuiltinFunction.Define("write", &Write, PyApi.METH_O);
        return BuiltinFunction.Create(method);
    }

    [UnmanagedCallersOnly]
    private static nint Write(nint self, nint text)
    {
        try
        {
            nint size;
            var utf8 = PyApi.PyUnicode_AsUTF8AndSize(new(text), &size);
            if (utf8 == null) return 0; // TypeError already set: write() takes a str
            PythonRuntime.Output?.Write(MessageKind.Python, new ReadOnlySpan<byte>(utf8, (int)size));
            return PyLongFromSize(size);
        }
        catch
        {
            return ReturnNone();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint PyLongFromSize(nint size) => PyApi.PyLong_FromSsize_t(size).Steal().Pointer;

    private static nint ReturnNone()
    {
        var none = PythonRuntime.None.Pointer;
        PyApi.Py_IncRef(none);
        return none;
    }
}
