using System.Runtime.InteropServices;

namespace CsPyLive.Python.CPython;

/// <summary>
/// The raw CPython C API this project uses (3.10 to 3.13), C names kept so the CPython docs can be grepped. Ownership is in the
/// types: <see cref="NewReference"/> for "Return value: New reference", <see cref="BorrowedReference"/> for borrowed
/// results and for arguments the callee does not steal. <c>Py_ssize_t</c> is <see cref="nint"/>; C <c>int</c> is
/// <see cref="int"/>; <c>wchar_t*</c> is 4-byte UTF-32 on Linux/macOS. Every function except the GIL and init ones
/// needs the calling thread to hold the GIL.
/// </summary>
internal static unsafe partial class PyApi
{
    internal const int Py_single_input = 256;
    internal const int Py_file_input = 257;
    internal const int Py_eval_input = 258;
    internal const int METH_NOARGS = 0x0004;
    internal const int METH_O = 0x0008;

    // --- interpreter and GIL -------------------------------------------------------------------------------------

    /// <summary>unsigned long PyThread_get_thread_ident(void): this thread's id as Python knows it; no GIL needed.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyThread_get_thread_ident")]
    internal static partial CULong PyThread_get_thread_ident();

    /// <summary>
    /// int PyThreadState_SetAsyncExc(unsigned long id, PyObject *exc): the thread raises <c>exc</c> (a class) at its
    /// next bytecode boundary. Returns how many thread states were changed. GIL held.
    /// </summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyThreadState_SetAsyncExc")]
    internal static partial int PyThreadState_SetAsyncExc(CULong id, BorrowedReference exc);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "Py_IsInitialized")]
    internal static partial int Py_IsInitialized();

    /// <summary>void Py_InitializeEx(int initsigs): 0 installs no signal handlers (the host owns SIGINT).</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "Py_InitializeEx")]
    internal static partial void Py_InitializeEx(int initsigs);

    /// <summary>void Py_SetProgramName(const wchar_t*): deprecated in 3.11 but the only call without PyConfig's layout.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "Py_SetProgramName")]
    internal static partial void Py_SetProgramName(void* name);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "Py_SetPythonHome")]
    internal static partial void Py_SetPythonHome(void* home);

    /// <summary>const char *Py_GetVersion(void)</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "Py_GetVersion")]
    internal static partial byte* Py_GetVersion();

    /// <summary>PyThreadState *PyEval_SaveThread(void): releases the GIL, returns this thread's state.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyEval_SaveThread")]
    internal static partial nint PyEval_SaveThread();

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyEval_RestoreThread")]
    internal static partial void PyEval_RestoreThread(nint tstate);

    /// <summary>PyGILState_STATE PyGILState_Ensure(void) (an enum: 0 locked, 1 unlocked).</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyGILState_Ensure")]
    internal static partial int PyGILState_Ensure();

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyGILState_Release")]
    internal static partial void PyGILState_Release(int state);

    /// <summary>int PyGILState_Check(void): 1 if this thread holds the GIL.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyGILState_Check")]
    internal static partial int PyGILState_Check();

    // --- reference counts ----------------------------------------------------------------------------------------

    [LibraryImport(PythonLibrary.Name, EntryPoint = "Py_IncRef")]
    internal static partial void Py_IncRef(nint o);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "Py_DecRef")]
    internal static partial void Py_DecRef(nint o);

    /// <summary>ob_type: the second field of every PyObject.</summary>
    internal static nint TypeOf(BorrowedReference o) => *(nint*)(o.Pointer + sizeof(nint));

    // --- modules, dicts ------------------------------------------------------------------------------------------

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyImport_AddModule", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial BorrowedReference PyImport_AddModule(string name);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyImport_ImportModule", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NewReference PyImport_ImportModule(string name);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyModule_GetDict")]
    internal static partial BorrowedReference PyModule_GetDict(BorrowedReference module);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyDict_New")]
    internal static partial NewReference PyDict_New();

    /// <summary>Borrowed; NULL without an exception when absent, NULL with one on error.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyDict_GetItemWithError")]
    internal static partial BorrowedReference PyDict_GetItemWithError(BorrowedReference dict, BorrowedReference key);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyDict_SetItem")]
    internal static partial int PyDict_SetItem(BorrowedReference dict, BorrowedReference key, BorrowedReference value);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyDict_SetItemString", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PyDict_SetItemString(BorrowedReference dict, string key, BorrowedReference value);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyDict_GetItemString", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial BorrowedReference PyDict_GetItemString(BorrowedReference dict, string key);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyDict_Size")]
    internal static partial nint PyDict_Size(BorrowedReference dict);

    // --- strings, numbers ----------------------------------------------------------------------------------------

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyUnicode_InternFromString")]
    internal static partial NewReference PyUnicode_InternFromString(byte* utf8);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyUnicode_FromStringAndSize")]
    internal static partial NewReference PyUnicode_FromStringAndSize(byte* utf8, nint size);

    /// <summary>const char *PyUnicode_AsUTF8AndSize(PyObject*, Py_ssize_t*): cached in the object; do not free.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyUnicode_AsUTF8AndSize")]
    internal static partial byte* PyUnicode_AsUTF8AndSize(BorrowedReference unicode, nint* size);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyFloat_FromDouble")]
    internal static partial NewReference PyFloat_FromDouble(double value);

    /// <summary>Accepts float, int, bool and anything with __float__ or __index__; -1.0 with an exception on failure.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyFloat_AsDouble")]
    internal static partial double PyFloat_AsDouble(BorrowedReference o);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyLong_FromSsize_t")]
    internal static partial NewReference PyLong_FromSsize_t(nint value);

    /// <summary>PyObject *PyBool_FromLong(long v): long is 64-bit on Linux/macOS, so a C int range is what we pass.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyBool_FromLong")]
    internal static partial NewReference PyBool_FromLong(CLong value);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyLong_FromVoidPtr")]
    internal static partial NewReference PyLong_FromVoidPtr(nint p);

    /// <summary>void *PyLong_AsVoidPtr(PyObject *pylong)</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyLong_AsVoidPtr")]
    internal static partial nint PyLong_AsVoidPtr(nint pylong);

    // --- objects, calls ------------------------------------------------------------------------------------------

    /// <summary>
    /// PyObject *PyObject_Vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames):
    /// calls with a C array of arguments, no tuple. Exported from 3.11 on (<see cref="ChooseCalls"/>); before, a
    /// static inline function, and <c>PyObject_VectorcallDict</c> with no keywords is the exported equivalent.
    /// </summary>
    internal static NewReference PyObject_Vectorcall(BorrowedReference callable, nint* args, nuint nargsf, nint kwnames) =>
        new(vectorcall(callable.Pointer, args, nargsf, kwnames));

    private static delegate* unmanaged<nint, nint*, nuint, nint, nint> vectorcall;

    /// <summary>Which exported function each call that differs between versions uses: for 3.10 to 3.13.</summary>
    internal static string VectorcallSymbol(int minor) => minor >= 11 ? "PyObject_Vectorcall" : "PyObject_VectorcallDict";

    /// <summary>Resolves the calls that differ between versions, from the loaded library's version. Once, before any call.</summary>
    internal static void ChooseCalls(nint library, int minor) =>
        vectorcall = (delegate* unmanaged<nint, nint*, nuint, nint, nint>)NativeLibrary.GetExport(library, VectorcallSymbol(minor));

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyObject_GetAttrString", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NewReference PyObject_GetAttrString(BorrowedReference o, string name);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyObject_Str")]
    internal static partial NewReference PyObject_Str(BorrowedReference o);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyObject_Hash")]
    internal static partial nint PyObject_Hash(BorrowedReference o);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyCallable_Check")]
    internal static partial int PyCallable_Check(BorrowedReference o);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyTuple_Size")]
    internal static partial nint PyTuple_Size(BorrowedReference tuple);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyTuple_GetItem")]
    internal static partial BorrowedReference PyTuple_GetItem(BorrowedReference tuple, nint index);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PySequence_Check")]
    internal static partial int PySequence_Check(BorrowedReference o);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PySequence_Size")]
    internal static partial nint PySequence_Size(BorrowedReference o);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PySequence_GetItem")]
    internal static partial NewReference PySequence_GetItem(BorrowedReference o, nint index);

    // --- errors --------------------------------------------------------------------------------------------------

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyErr_Occurred")]
    internal static partial BorrowedReference PyErr_Occurred();

    /// <summary>int PyErr_ExceptionMatches(PyObject *exc): whether the pending exception is (a subclass of) <paramref name="exception"/>.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyErr_ExceptionMatches")]
    internal static partial int PyErr_ExceptionMatches(BorrowedReference exception);

    /// <summary>void PyErr_Fetch(PyObject **ptype, PyObject **pvalue, PyObject **ptraceback): new references out.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyErr_Fetch")]
    internal static partial void PyErr_Fetch(nint* type, nint* value, nint* traceback);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyErr_NormalizeException")]
    internal static partial void PyErr_NormalizeException(nint* type, nint* value, nint* traceback);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyException_SetTraceback")]
    internal static partial int PyException_SetTraceback(BorrowedReference exception, BorrowedReference traceback);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyErr_Clear")]
    internal static partial void PyErr_Clear();

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyErr_SetString")]
    internal static partial void PyErr_SetString(BorrowedReference type, byte* message);

    // --- running code --------------------------------------------------------------------------------------------

    /// <summary>PyObject *Py_CompileString(const char *str, const char *filename, int start) (exported for the ABI).</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "Py_CompileString")]
    internal static partial NewReference Py_CompileString(byte* source, byte* filename, int start);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyEval_EvalCode")]
    internal static partial NewReference PyEval_EvalCode(BorrowedReference code, BorrowedReference globals, BorrowedReference locals);

    /// <summary>PyObject *PyMarshal_ReadObjectFromString(const char *data, Py_ssize_t len): code compiled elsewhere.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyMarshal_ReadObjectFromString")]
    internal static partial NewReference PyMarshal_ReadObjectFromString(byte* data, nint length);

    // --- C functions exposed to Python ---------------------------------------------------------------------------

    /// <summary>PyObject *PyCFunction_NewEx(PyMethodDef *ml, PyObject *self, PyObject *module): ml must live forever.</summary>
    [LibraryImport(PythonLibrary.Name, EntryPoint = "PyCFunction_NewEx")]
    internal static partial NewReference PyCFunction_NewEx(PyMethodDef* method, BorrowedReference self, BorrowedReference module);

    [LibraryImport(PythonLibrary.Name, EntryPoint = "PySys_SetObject", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PySys_SetObject(string name, BorrowedReference value);

    /// <summary>Address of an exported data symbol (e.g. <c>_Py_NoneStruct</c>, <c>PyExc_TypeError</c>).</summary>
    internal static nint DataSymbol(string name) => NativeLibrary.GetExport(PythonLibrary.Load(), name);
}

/// <summary>struct PyMethodDef { const char *ml_name; PyCFunction ml_meth; int ml_flags; const char *ml_doc; }</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PyMethodDef
{
    public byte* Name;
    public void* Method;
    public int Flags;
    public byte* Doc;
}
