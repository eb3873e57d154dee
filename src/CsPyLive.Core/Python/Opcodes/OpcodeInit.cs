using CsPyLive.Csound;
using System.Runtime.InteropServices;
using System.Text;
using CsPyLive.Python.CPython;
using static CsPyLive.Csound.Interop.Csound;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// The init function every opcode of the family shares (except pyinit): reads what the opcode is from its name,
/// finds its arguments, prepares what the k-rate path needs (an interned name or a compiled code object, the note's
/// local dict) and, for the i forms, acts at once. Everything that may allocate happens here, not at k-rate.
/// </summary>
internal static unsafe class OpcodeInit
{
    private const int OK = 0;
    private const int NOTOK = -1;

    [UnmanagedCallersOnly]
    internal static int Init(nint csound, nint p)
    {
        try
        {
            return InitCore(csound, p);
        }
        catch (Exception e)
        {
            var name = Marshal.PtrToStringUTF8((nint)CsoundFunctions.GetOpcodeName(csound, p));
            return OpcodeErrors.InitFailure(csound, $"{name}: {e.Message}");
        }
    }

    private static int InitCore(nint csound, nint p)
    {
        var opname = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(CsoundFunctions.GetOpcodeName(csound, p));
        if (!PythonOpcodes.HasRunPyinit(csound))
            return OpcodeErrors.InitFailure(csound, Encoding.UTF8.GetString(opname) +
                ": Python is not initialised: put 'pyinit' in the orchestra header, before any other py opcode");

        var s = OpcodeBlock.State(p);
        using var gil = Gil.Acquire();
        if (s->Target != 0)
        {
            // The block of a reused instance (or a reinit): drop what the last init prepared.
            PyApi.Py_DecRef(s->Target);
            s->Target = 0;
        }
        var keep = s->Flags & (OpcodeFlags.DeinitRegistered | OpcodeFlags.OwnsLocals);
        if (!Parse(opname, out var family, out var flags))
            return OpcodeErrors.InitFailure(csound, Encoding.UTF8.GetString(opname) + ": not a Python opcode name");
        s->Family = family;
        s->Flags = flags | keep;
        s->HostData = csoundGetHostData(csound);
        s->Outputs = CsoundFunctions.GetOutputArgCnt(csound, p);
        s->Inputs = CsoundFunctions.GetInputArgCnt(csound, p);
        s->ErrorType = 0;
        s->ErrorHash = 0;
        s->Repeats = 0;
        if ((s->Flags & OpcodeFlags.DeinitRegistered) == 0)
        {
            CsoundFunctions.RegisterDeinitCallback(csound, p, &OnDeinit);
            s->Flags |= OpcodeFlags.DeinitRegistered;
        }
        if (s->Outputs + s->Inputs > OpcodeBlock.ArgSlots)
            return OpcodeErrors.InitFailure(csound, $"{Encoding.UTF8.GetString(opname)}: at most {OpcodeBlock.ArgSlots} arguments");

        var slot = s->Outputs;
        s->TriggerSlot = (flags & OpcodeFlags.Triggered) != 0 ? slot++ : -1;
        var textSlot = slot++;
        s->ValueSlot = -1;
        s->ResultSlot = 0;
        s->Results = family == OpcodeFamily.Eval ? 1 : family == OpcodeFamily.Call ? s->Outputs : 0;
        if (family == OpcodeFamily.Assign) s->ValueSlot = slot++;
        if ((flags & OpcodeFlags.VariableResults) != 0)
        {
            var n = *OpcodeBlock.Arg(p, slot++);
            if (n < 0 || n != Math.Floor(n) || slot + (int)n > s->Outputs + s->Inputs)
                return OpcodeErrors.InitFailure(csound,
                    $"{Encoding.UTF8.GetString(opname)}: nresults is {n}, but only {s->Outputs + s->Inputs - slot} result variables follow it");
            s->Results = (int)n;
            s->ResultSlot = slot;
            slot += (int)n;
        }
        s->ArgSlot = slot;
        s->Args = family == OpcodeFamily.Call ? s->Outputs + s->Inputs - slot : 0;

        if ((flags & OpcodeFlags.Local) != 0) s->Locals = LocalNamespace.Ensure(p, s);
        else s->Locals = 0;

        var text = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(OpcodeBlock.StringArg(p, textSlot)));
        var opnameText = Encoding.UTF8.GetString(opname);
        var target = PrepareTarget(csound, family, text, opnameText, ref s->Flags);
        if (target.IsNull) return OpcodeErrors.ReportInit(csound, p);
        s->Target = target.Steal().Pointer;

        if ((flags & OpcodeFlags.Triggered) != 0)
            for (var i = 0; i < s->Outputs; i++) *OpcodeBlock.Arg(p, i) = 0; // "0 before the first fire", even in a reused block
        s->Flags |= OpcodeFlags.Ready;

        if ((flags & OpcodeFlags.InitTime) == 0) return OK;
        if (RunawayCalls.IsBenched(s->Target))
            return OpcodeErrors.InitFailure(csound, $"{text}: benched by the watchdog (it did not return {RunawayCalls.InterruptsToBench} times); a reload lets it be called again");
        var ok = family switch
        {
            OpcodeFamily.Run or OpcodeFamily.Exec => PyCodeOpcodes.Run(s),
            OpcodeFamily.Eval => PyCodeOpcodes.Eval(p, s),
            OpcodeFamily.Assign => PyCodeOpcodes.Assign(p, s),
            _ => PyCallOpcodes.Call(csound, p, s),
        };
        return ok ? OK : OpcodeErrors.ReportInit(csound, p);
    }

    /// <summary>An interned name, or a compiled code object (flag set); NULL with a Python error set.</summary>
    private static NewReference PrepareTarget(nint csound, OpcodeFamily family, string text, string opname, ref OpcodeFlags flags)
    {
        switch (family)
        {
            case OpcodeFamily.Run:
                flags |= OpcodeFlags.TargetIsCode;
                return PythonRuntime.TryCompile(text, $"<{opname}>", PyApi.Py_file_input);
            case OpcodeFamily.Exec:
                flags |= OpcodeFlags.TargetIsCode;
                var path = CsoundFunctions.FindInputFile(csound, text) ?? text;
                string source;
                try
                {
                    source = File.ReadAllText(path);
                    if (Engine.FromNative(csound) is { } engine) PythonSources.Note(engine, path); // hot reload watches what the orchestra ran
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    SetError(PythonRuntime.OSErrorType, $"cannot read script file {text}: {e.Message}");
                    return default;
                }
                return PythonRuntime.TryCompile(source, path, PyApi.Py_file_input);
            case OpcodeFamily.Eval:
                flags |= OpcodeFlags.TargetIsCode;
                return PythonRuntime.TryCompile(text, $"<{opname}>", PyApi.Py_eval_input);
            case OpcodeFamily.Assign:
                if (IsIdentifier(text)) return Intern(text);
                flags |= OpcodeFlags.TargetIsCode;
                return PythonRuntime.TryCompile($"{text} = {PyCodeOpcodes.AssignTemporary}", $"<{opname}>", PyApi.Py_file_input);
            default:
                if (IsIdentifier(text)) return Intern(text);
                flags |= OpcodeFlags.TargetIsCode; // a dotted or indexed callable ("math.sqrt"), looked up each call
                return PythonRuntime.TryCompile(text, $"<{opname}>", PyApi.Py_eval_input);
        }
    }

    internal static NewReference Intern(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        fixed (byte* b = bytes) return PyApi.PyUnicode_InternFromString(b);
    }

    internal static void SetError(BorrowedReference type, string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message + "\0");
        fixed (byte* b = bytes) PyApi.PyErr_SetString(type, b);
    }

    private static bool IsIdentifier(string s)
    {
        if (s.Length == 0 || char.IsAsciiDigit(s[0])) return false;
        foreach (var c in s)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c > 127)) return false;
        return !s.Equals("None", StringComparison.Ordinal) && !s.Equals("True", StringComparison.Ordinal) && !s.Equals("False", StringComparison.Ordinal);
    }

    /// <summary>Reads "py[l]&lt;family&gt;[digits|n][i|t]".</summary>
    internal static bool Parse(ReadOnlySpan<byte> name, out OpcodeFamily family, out OpcodeFlags flags)
    {
        family = default;
        flags = OpcodeFlags.None;
        if (!name.StartsWith("py"u8)) return false;
        var rest = name[2..];
        int length;
        if (rest.StartsWith("run"u8)) (family, length) = (OpcodeFamily.Run, 3);
        else if (rest.StartsWith("exec"u8)) (family, length) = (OpcodeFamily.Exec, 4);
        else if (rest.StartsWith("eval"u8)) (family, length) = (OpcodeFamily.Eval, 4);
        else if (rest.StartsWith("assign"u8)) (family, length) = (OpcodeFamily.Assign, 6);
        else if (rest.StartsWith("call"u8)) (family, length) = (OpcodeFamily.Call, 4);
        else if (rest.StartsWith("l"u8))
        {
            Span<byte> global = stackalloc byte[name.Length - 1];
            "py"u8.CopyTo(global);
            rest[1..].CopyTo(global[2..]);
            if (!Parse(global, out family, out flags)) return false;
            flags |= OpcodeFlags.Local;
            return true;
        }
        else return false;
        rest = rest[length..];
        if (family == OpcodeFamily.Call)
        {
            if (rest.StartsWith("n"u8))
            {
                flags |= OpcodeFlags.VariableResults;
                rest = rest[1..];
            }
            while (!rest.IsEmpty && char.IsAsciiDigit((char)rest[0])) rest = rest[1..];
        }
        if (rest.SequenceEqual("i"u8)) flags |= OpcodeFlags.InitTime;
        else if (rest.SequenceEqual("t"u8)) flags |= OpcodeFlags.Triggered;
        else if (!rest.IsEmpty) return false;
        return true;
    }

    /// <summary>Note end (or instance teardown): report pending repeats, release what init took.</summary>
    [UnmanagedCallersOnly]
    internal static int OnDeinit(nint csound, nint p)
    {
        try
        {
            var s = OpcodeBlock.State(p);
            using var gil = Gil.Acquire();
            OpcodeErrors.FlushRepeats(csound, p, s);
            if (s->Target != 0) PyApi.Py_DecRef(s->Target);
            s->Target = 0;
            if ((s->Flags & OpcodeFlags.OwnsLocals) != 0) LocalNamespace.Release(p);
            s->Locals = 0;
            s->Flags = OpcodeFlags.None;
        }
        catch
        {
            // nothing may cross into C
        }
        return OK;
    }
}
