using CsPyLive.Python.CPython;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// The locals dict of the pyl* opcodes: one per note (instrument instance), kept in INSDS.pylocal (the field Csound
/// reserves for it) so that all pyl* opcodes of one note share it. Created by the first pyl* opcode to init, released
/// by that opcode's deinit callback when the note ends: unlike the stock opcodes, a later note that reuses the
/// instance does not inherit the previous note's names, and nothing accumulates. GIL held.
/// </summary>
internal static unsafe class LocalNamespace
{
    internal static nint Ensure(nint p, OpcodeState* s)
    {
        var slot = (nint*)(OpcodeBlock.Insds(p) + CsoundLayout.InsdsPylocal);
        if (*slot == 0)
        {
            var dict = PyApi.PyDict_New();
            if (dict.IsNull) throw PythonException.Fetch("cannot create the note's local dict");
            *slot = dict.Steal().Pointer;
            s->Flags |= OpcodeFlags.OwnsLocals;
        }
        return *slot;
    }

    internal static void Release(nint p)
    {
        var slot = (nint*)(OpcodeBlock.Insds(p) + CsoundLayout.InsdsPylocal);
        var dict = *slot;
        *slot = 0;
        if (dict != 0) PyApi.Py_DecRef(dict);
    }
}
