using System.Runtime.InteropServices;
using CsPyLive.Csound;
using CsPyLive.Python;
using CsPyLive.Python.CPython;

namespace CsPyLive.Osc;

/// <summary>
/// The Python side of OSC: interned name objects for the globals OSC may assign, a pool of string slots, and slots
/// for compiled <c>/py/exec</c> code. The receiving thread prepares (<see cref="NameIndex"/>, <see cref="TryPutString"/>,
/// <see cref="TryCompile"/>); the audio thread assigns in <c>__main__</c> at a k-boundary (<see cref="AssignNumber"/> ...).
/// </summary>
/// <remarks>
/// Names are interned once, the first time each is seen (from patch.yaml at load, from the network on first use):
/// that first time takes the GIL on the receiving thread for a few microseconds and allocates a copy of the name.
/// Afterwards assigning a number allocates no managed memory: the audio thread makes the Python float or int
/// (Python's own allocator) and stores it with <c>PyDict_SetItem</c>. At most <see cref="MaxNames"/> names.
/// </remarks>
internal sealed unsafe class OscPython : IDisposable
{
    public const int MaxNames = 512;
    public const int StringSlots = 64;
    public const int StringSlotBytes = 512;
    public const int CodeSlots = 16;

    private readonly OscNames names = new(MaxNames);
    private readonly nint[] nameObjects = new nint[MaxNames];      // owned interned str
    private readonly byte[] strings = new byte[StringSlots * StringSlotBytes];
    private readonly int[] stringLengths = new int[StringSlots];
    private readonly int[] stringBusy = new int[StringSlots];
    private readonly nint[] code = new nint[CodeSlots];            // owned code objects, handed to the audio thread
    private readonly byte[][] codeText = new byte[CodeSlots][];    // each one's source, for the show log
    private readonly MessageLog log;
    private int nextString;
    private int nextCode;

    public OscPython(MessageLog log)
    {
        this.log = log;
        PythonRuntime.EnsureInitialized();
    }

    /// <summary>The index of a Python global, interning it the first time; -1 if not a usable name or full. Receiving thread.</summary>
    public int NameIndex(ReadOnlySpan<byte> name)
    {
        var i = names.Find(name);
        if (i >= 0) return i;
        if (!OscNames.IsPythonName(name) || names.Count == names.Capacity) return -1;
        nint obj;
        using (Gil.Acquire())
        {
            Span<byte> z = stackalloc byte[name.Length + 1];
            name.CopyTo(z);
            z[^1] = 0;
            fixed (byte* p = z) obj = PyApi.PyUnicode_InternFromString(p).Steal().Pointer;
            if (obj == 0) PyApi.PyErr_Clear();
        }
        if (obj == 0) return -1;
        i = names.Add(name);
        Volatile.Write(ref nameObjects[i], obj);
        return i;
    }

    /// <summary>Copies a string into a free slot; its index, or -1 if all are busy or it is too long. Receiving thread.</summary>
    public int TryPutString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StringSlotBytes) return -1;
        for (var k = 0; k < StringSlots; k++)
        {
            var slot = (nextString + k) % StringSlots;
            if (Interlocked.CompareExchange(ref stringBusy[slot], 1, 0) != 0) continue;
            utf8.CopyTo(strings.AsSpan(slot * StringSlotBytes));
            stringLengths[slot] = utf8.Length;
            nextString = slot + 1;
            return slot;
        }
        return -1;
    }

    /// <summary>Gives back a slot whose action could not be queued.</summary>
    public void ReleaseString(int slot) => Volatile.Write(ref stringBusy[slot], 0);

    /// <summary>Compiles code for <c>/py/exec</c> into a slot (GIL held briefly); -1 and a logged error if it does not compile.</summary>
    public int TryCompile(ReadOnlySpan<byte> utf8)
    {
        for (var k = 0; k < CodeSlots; k++)
        {
            var slot = (nextCode + k) % CodeSlots;
            if (Volatile.Read(ref code[slot]) != 0) continue;
            using var gil = Gil.Acquire();
            var compiled = PythonRuntime.TryCompile(System.Text.Encoding.UTF8.GetString(utf8), "<osc /py/exec>", PyApi.Py_file_input);
            if (compiled.IsNull)
            {
                LogPythonError("osc: /py/exec does not compile:\n"u8);
                return -1;
            }
            codeText[slot] = utf8.ToArray(); // for the show log; before the code is published
            Volatile.Write(ref code[slot], compiled.Steal().Pointer);
            nextCode = slot + 1;
            return slot;
        }
        return -1;
    }

    public void ReleaseCode(int slot)
    {
        var c = Interlocked.Exchange(ref code[slot], 0);
        if (c == 0) return;
        using var gil = Gil.Acquire();
        PyApi.Py_DecRef(c);
    }

    /// <summary>Audio thread: <c>name = value</c> as a float, an int or a bool.</summary>
    public void AssignNumber(int name, double value, OscValueKind kind)
    {
        using var gil = Gil.Acquire();
        using var obj = kind switch
        {
            OscValueKind.Int => PyApi.PyLong_FromSsize_t((nint)value),
            OscValueKind.Bool => PyApi.PyBool_FromLong(new CLong(value != 0 ? 1 : 0)),
            _ => PyApi.PyFloat_FromDouble(value),
        };
        Store(name, obj);
        Applied?.PyNumber(name, value, (byte)kind);
    }

    /// <summary>Where assignments and code are recorded for the show log; null when none. Set before the show starts.</summary>
    public Csound.AppliedLog? Applied { get; set; }

    /// <summary>A name <see cref="NameIndex"/> gave out. Control threads.</summary>
    public string NameOf(int index) => names.NameOf(index);

    /// <summary>Audio thread: <c>name = "text"</c> from a string slot, which is then free again.</summary>
    public void AssignString(int name, int slot)
    {
        using (Gil.Acquire())
        {
            NewReference obj;
            fixed (byte* p = &strings[slot * StringSlotBytes]) obj = PyApi.PyUnicode_FromStringAndSize(p, stringLengths[slot]);
            using (obj) Store(name, obj);
        }
        Applied?.Bytes(Csound.AppliedKind.PyString, name, strings.AsSpan(slot * StringSlotBytes, stringLengths[slot]));
        Volatile.Write(ref stringBusy[slot], 0);
    }

    /// <summary>Audio thread: runs compiled <c>/py/exec</c> code in <c>__main__</c>; an exception is logged.</summary>
    public void Exec(int slot)
    {
        var text = codeText[slot]; // before the slot is free for the next code
        var c = Interlocked.Exchange(ref code[slot], 0);
        if (c == 0) return;
        Applied?.Bytes(Csound.AppliedKind.PyExec, -1, text);
        using var gil = Gil.Acquire();
        using (var result = PyApi.PyEval_EvalCode(new(c), PythonRuntime.MainDict, PythonRuntime.MainDict))
            if (result.IsNull) LogPythonError("osc: /py/exec raised:\n"u8);
        PyApi.Py_DecRef(c);
    }

    private void Store(int name, in NewReference value)
    {
        if (value.IsNull || PyApi.PyDict_SetItem(PythonRuntime.MainDict, new(nameObjects[name]), value) != 0)
            LogPythonError("osc: assigning a Python global failed:\n"u8);
    }

    private void LogPythonError(ReadOnlySpan<byte> what)
    {
        log.Write(MessageKind.Error, what);
        using var text = PythonRuntime.TakeExceptionText();
        log.Write(MessageKind.Error, PythonRuntime.Utf8(text));
        log.Write(MessageKind.Error, "\n"u8);
    }

    public void Dispose()
    {
        using var gil = Gil.Acquire();
        for (var i = 0; i < names.Count; i++) PyApi.Py_DecRef(nameObjects[i]);
        for (var i = 0; i < CodeSlots; i++)
            if (code[i] != 0) PyApi.Py_DecRef(code[i]);
    }
}

/// <summary>What Python type a numeric OSC argument becomes: i h → int, f d → float, T F → bool.</summary>
public enum OscValueKind : byte
{
    Float,
    Int,
    Bool,
}
