using System.Runtime.CompilerServices;
using CsPyLive.Python.CPython;

namespace CsPyLive.Python;

/// <summary>
/// A <c>PyObject*</c> the holder does not own (CPython's "borrowed reference"): valid only while its owner keeps it
/// alive, never decref'd. Zero means NULL.
/// </summary>
internal readonly struct BorrowedReference(nint pointer)
{
    public readonly nint Pointer = pointer;
    public bool IsNull => Pointer == 0;
    public static BorrowedReference Null => default;
    public override string ToString() => $"borrowed 0x{Pointer:x}";
}

/// <summary>
/// A <c>PyObject*</c> the holder owns (CPython's "new reference"): it must be <see cref="Dispose"/>d (decref) or
/// handed on with <see cref="Steal"/>. A plain struct, not a ref struct, so raw C functions can return it; do not
/// copy it (two copies would decref twice). Dispose needs the GIL.
/// </summary>
internal struct NewReference : IDisposable
{
    private nint pointer;

    public NewReference(nint pointer) => this.pointer = pointer;

    public readonly bool IsNull => pointer == 0;
    public readonly nint DangerousPointer => pointer;

    /// <summary>Gives the reference away (to a C function that steals it, or to a long-lived slot).</summary>
    public StolenReference Steal()
    {
        var p = pointer;
        pointer = 0;
        return new StolenReference(p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Dispose()
    {
        var p = pointer;
        if (p == 0) return;
        pointer = 0;
        PyApi.Py_DecRef(p);
    }

    public static implicit operator BorrowedReference(in NewReference r) => new(r.pointer);
}

/// <summary>A reference whose ownership moves to the receiver (e.g. <c>PyTuple_SetItem</c>'s item).</summary>
internal readonly struct StolenReference(nint pointer)
{
    public readonly nint Pointer = pointer;
}
