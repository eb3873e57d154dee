using System.Buffers.Text;
using System.Runtime.InteropServices;
using CsPyLive.Csound;
using CsPyLive.Python.CPython;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// How the opcodes report a Python exception. At perf time: once per distinct error (same exception type and message)
/// with its traceback, to the engine's log as <see cref="MessageKind.Error"/>; repeats are only counted, and the count
/// is logged when the error changes or the note ends ("(repeated N times)"). The note goes on, its outputs keep their
/// last good values. At init time: through Csound's InitError, so the note does not start and Csound's log says why.
/// GIL held by the caller; no .NET allocation on the perf path (Python allocates the formatted text).
/// </summary>
internal static unsafe class OpcodeErrors
{

    /// <summary>
    /// Reports the pending exception. Returns what the opcode returns to Csound: OK, or, when this was the
    /// watchdog's last interruption of its target (<see cref="RunawayCalls"/>), Csound's perf error, which turns the
    /// note off.
    /// </summary>
    internal static int ReportPerf(nint csound, nint p, OpcodeState* s)
    {
        nint type, value, traceback;
        PythonRuntime.FetchException(&type, &value, &traceback);
        PythonErrors.Note();
        var runaway = type != 0 && type == RunawayCalls.ErrorType && RunawayCalls.RecordInterrupt(s->Target);
        var hash = ErrorHash(value);
        if (s->ErrorType == type && s->ErrorHash == hash && type != 0)
        {
            s->Repeats++;
        }
        else
        {
            FlushRepeats(csound, p, s);
            s->ErrorType = type; // identity only: exception types live as long as the interpreter in practice
            s->ErrorHash = hash;
            var log = LogOf(s);
            if (log is not null && !MayShow(log)) s->ErrorType = 0; // not shown: its repeats are not "the error above"
            else if (log is not null)
            {
                WriteHeader(log, csound, p, "Python exception (the note goes on with its last outputs):\n"u8);
                using var text = value != 0 ? PythonRuntime.FormatException(new(value)) : default;
                var utf8 = PythonRuntime.Utf8(text);
                log.Write(MessageKind.Error, utf8.IsEmpty ? "(no exception text)\n"u8 : utf8);
                if (!utf8.IsEmpty && utf8[^1] != (byte)'\n') log.Write(MessageKind.Error, "\n"u8);
            }
        }
        if (type != 0) PyApi.Py_DecRef(type);
        if (value != 0) PyApi.Py_DecRef(value);
        if (traceback != 0) PyApi.Py_DecRef(traceback);
        return runaway ? Bench(csound, p, s) : 0;
    }

    /// <summary>Says once that the target is benched, then turns the note off (Csound's perf error). Returns non-zero.</summary>
    private static int Bench(nint csound, nint p, OpcodeState* s)
    {
        FlushRepeats(csound, p, s);
        if (LogOf(s) is { } log)
        {
            WriteHeader(log, csound, p, "watchdog: "u8);
            var name = (s->Flags & OpcodeFlags.TargetIsCode) == 0 ? PythonRuntime.Utf8(new(s->Target)) : default;
            if (name.IsEmpty) log.Write(MessageKind.Error, "this Python code"u8);
            else
            {
                log.Write(MessageKind.Error, name);
                log.Write(MessageKind.Error, "()"u8);
            }
            log.Write(MessageKind.Error, " was interrupted 3 times without returning: it is not called any more (outputs keep their last values) until a reload, and this note is turned off\n"u8);
        }
        return CsoundFunctions.PerfError(csound, p, "Python code that does not return (benched by the watchdog)\0"u8);
    }

    /// <summary>True while the engine's traceback budget for this second lasts; first says how many were not shown.</summary>
    private static bool MayShow(MessageLog log)
    {
        if (!log.Tracebacks.TryTake(out var notShown)) return false;
        if (notShown > 0)
        {
            log.Write(MessageKind.Error, "python: "u8);
            Span<byte> digits = stackalloc byte[24];
            Utf8Formatter.TryFormat(notShown, digits, out var n);
            log.Write(MessageKind.Error, digits[..n]);
            log.Write(MessageKind.Error, " more Python exception(s) not shown (at most 5 tracebacks a second)\n"u8);
        }
        return true;
    }

    /// <summary>Logs "(repeated N times)" for the error last reported, if it repeated. At error change and note end.</summary>
    internal static void FlushRepeats(nint csound, nint p, OpcodeState* s)
    {
        if (s->Repeats == 0) return;
        var log = LogOf(s);
        if (log is not null)
        {
            WriteHeader(log, csound, p, "the error above (repeated "u8);
            Span<byte> digits = stackalloc byte[24];
            Utf8Formatter.TryFormat(s->Repeats, digits, out var n);
            log.Write(MessageKind.Error, digits[..n]);
            log.Write(MessageKind.Error, " times)\n"u8);
        }
        s->Repeats = 0;
    }

    /// <summary>Takes the pending exception into Csound's InitError (the note does not start). Returns NOTOK.</summary>
    internal static int ReportInit(nint csound, nint p)
    {
        var s = OpcodeBlock.State(p);
        if (RunawayCalls.ErrorType != 0 && (s->Flags & OpcodeFlags.Ready) != 0 && PyApi.PyErr_ExceptionMatches(new(RunawayCalls.ErrorType)) != 0)
            RunawayCalls.RecordInterrupt(s->Target); // a note's init that loops counts as one interruption of its function
        using var text = PythonRuntime.TakeExceptionText();
        var utf8 = PythonRuntime.Utf8(text);
        var message = new byte[utf8.Length + 32];
        "Python exception:\n"u8.CopyTo(message);
        utf8.CopyTo(message.AsSpan(18));
        return CsoundFunctions.InitError(csound, message.AsSpan(0, 18 + utf8.Length).TrimEnd((byte)'\n'));
    }

    /// <summary>An init error that is not a Python exception (missing pyinit, bad arguments). Returns NOTOK.</summary>
    internal static int InitFailure(nint csound, string message) =>
        CsoundFunctions.InitError(csound, System.Text.Encoding.UTF8.GetBytes(message));

    private static nint ErrorHash(nint value)
    {
        if (value == 0) return 0;
        using var str = PyApi.PyObject_Str(new(value));
        if (str.IsNull)
        {
            PyApi.PyErr_Clear();
            return 0;
        }
        var hash = PyApi.PyObject_Hash(str);
        if (hash == -1) PyApi.PyErr_Clear();
        return hash;
    }

    private static MessageLog? LogOf(OpcodeState* s) =>
        s->HostData == 0 ? null : (GCHandle.FromIntPtr(s->HostData).Target as Engine)?.Messages;

    private static void WriteHeader(MessageLog log, nint csound, nint p, ReadOnlySpan<byte> what)
    {
        log.Write(MessageKind.Error, MemoryMarshal.CreateReadOnlySpanFromNullTerminated(CsoundFunctions.GetOpcodeName(csound, p)));
        log.Write(MessageKind.Error, " (instr "u8);
        Span<byte> digits = stackalloc byte[8];
        Utf8Formatter.TryFormat(OpcodeBlock.InstrumentNumber(p), digits, out var n);
        log.Write(MessageKind.Error, digits[..n]);
        log.Write(MessageKind.Error, "): "u8);
        log.Write(MessageKind.Error, what);
    }
}
