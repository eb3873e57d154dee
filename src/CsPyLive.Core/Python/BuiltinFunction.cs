using System.Runtime.InteropServices;
using CsPyLive.Python.CPython;

namespace CsPyLive.Python;

/// <summary>Python builtin functions whose body is a C# <c>[UnmanagedCallersOnly]</c> method.</summary>
internal static unsafe class BuiltinFunction
{
    /// <summary>
    /// A method definition for <c>PyCFunction_NewEx</c>. Every function object made from it points at it, so it is
    /// allocated once and never freed: keep it in a static.
    /// </summary>
    internal static PyMethodDef* Define(string name, delegate* unmanaged<nint, nint, nint> method, int flags)
    {
        var def = (PyMethodDef*)NativeMemory.AllocZeroed((nuint)sizeof(PyMethodDef));
        def->Name = (byte*)Marshal.StringToCoTaskMemUTF8(name);
        def->Method = method;
        def->Flags = flags;
        def->Doc = null;
        return def;
    }

    /// <summary>A new builtin function object for <paramref name="def"/>. GIL held.</summary>
    internal static NewReference Create(PyMethodDef* def) => PyApi.PyCFunction_NewEx(def, default, default);
}
