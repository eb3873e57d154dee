using System.Runtime.InteropServices;
using System.Text;
using CsPyLive.Csound;
using CsPyLive.Python.CPython;

namespace CsPyLive.Python;

/// <summary>
/// The one embedded CPython interpreter of this process: initialised once, then the GIL is released so any thread can
/// take it with <see cref="Gil.Acquire"/>. Holds the namespaces the opcodes share (<c>__main__.__dict__</c>) and the
/// API the rest of the host (hot reload, tests) uses to run code there.
/// </summary>
/// <remarks>
/// <para>Python is per process, not per engine: every engine's opcodes see the same <c>__main__</c>. Python's
/// <c>sys.stdout</c>/<c>sys.stderr</c> write to <see cref="Output"/>, the log of the engine that ran <c>pyinit</c>
/// last.</para>
/// <para>The switch interval is set to 0.5 ms: a Python thread started by orchestra code (or a host thread) cannot
/// keep the performing thread waiting for the GIL longer than that (Python's default is 5 ms).</para>
/// <para>The interpreter is never finalised: extension modules (numpy) do not survive a re-initialisation, and the
/// process exit frees it anyway.</para>
/// </remarks>
public static unsafe class PythonRuntime
{
    /// <summary>Python's switch interval we set, in seconds.</summary>
    public const double SwitchInterval = 0.0005;

    private static readonly object Gate = new();
    private static volatile bool initialized;
    private static nint mainDict;      // borrowed from __main__, which lives forever
    private static nint builtinsDict;  // owned
    private static nint helperDict;    // owned: our private helpers, out of the user's namespace
    private static nint formatException; // owned: helper (exc) -> str with the traceback
    private static nint noneObject;
    private static nint nameError, resultError, osErrorType, tupleType; // owned / static: live forever
    private static MessageLog? output;

    static PythonRuntime() => NativeLibraryResolver.Register(PythonLibrary.Name, PythonLibrary.Load);

    public static bool IsInitialized => initialized;

    /// <summary>Where print() goes (Python text, <see cref="MessageKind.Python"/>); null drops it.</summary>
    public static MessageLog? Output
    {
        get => Volatile.Read(ref output);
        set => Volatile.Write(ref output, value);
    }

    internal static BorrowedReference MainDict => new(mainDict);
    internal static BorrowedReference BuiltinsDict => new(builtinsDict);
    internal static BorrowedReference None => new(noneObject);
    internal static BorrowedReference NameErrorHelper => new(nameError);
    internal static BorrowedReference ResultErrorHelper => new(resultError);
    internal static BorrowedReference OSErrorType => new(osErrorType);
    internal static nint TupleType => tupleType;

    /// <summary>
    /// Defines host helpers (Python source) in our private namespace, out of the user's <c>__main__</c>; take them
    /// with <see cref="Helper"/>. GIL held. Throws <see cref="PythonException"/>.
    /// </summary>
    internal static void DefineHelpers(string source, string filename) =>
        Exec(source, new(helperDict), new(helperDict), filename);

    /// <summary>Puts <paramref name="value"/> (e.g. a builtin made in C#) into our private namespace. GIL held.</summary>
    internal static void SetHelper(string name, BorrowedReference value)
    {
        if (PyApi.PyDict_SetItemString(new(helperDict), name, value) != 0) throw PythonException.Fetch($"cannot define {name}");
    }

    /// <summary>A new reference to a helper defined in our private namespace. GIL held.</summary>
    internal static nint Helper(string name)
    {
        var f = PyApi.PyDict_GetItemString(new(helperDict), name);
        if (f.IsNull) throw new PythonException($"helper {name} missing");
        PyApi.Py_IncRef(f.Pointer);
        return f.Pointer;
    }

    /// <summary>The interpreter the loaded library belongs to (--python, a venv's, python3 on PATH), if one was found.</summary>
    public static string? Interpreter => CPython.PythonLibrary.Install?.Executable;

    /// <summary>The loaded libpython's major and minor version, e.g. (3, 11).</summary>
    public static (int Major, int Minor) VersionNumbers
    {
        get
        {
            var parts = Version.Split(' ')[0].Split('.');
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The loaded libpython's version line, e.g. "3.11.2 (main, ...)".</summary>
    public static string Version
    {
        get
        {
            EnsureInitialized();
            return Marshal.PtrToStringUTF8((nint)PyApi.Py_GetVersion()) ?? "";
        }
    }

    /// <summary>
    /// Loads libpython and initialises the interpreter once per process (no signal handlers), then releases the GIL.
    /// Any thread; idempotent. Throws <see cref="DllNotFoundException"/> or <see cref="PythonException"/>.
    /// </summary>
    public static void EnsureInitialized()
    {
        if (initialized) return;
        lock (Gate)
        {
            if (initialized) return;
            var library = PythonLibrary.Load();
            var version = Marshal.PtrToStringUTF8((nint)PyApi.Py_GetVersion()) ?? "";
            var minor = PythonVersions.Minor(version);
            if (minor is null)
                throw new PythonException($"libpython {version.Split(' ')[0]} loaded ({PythonLibrary.LoadedPath}); CsPyLive needs CPython {PythonVersions.Supported}");
            PyApi.ChooseCalls(library, minor.Value);
            var ownsInterpreter = PyApi.Py_IsInitialized() == 0;
            if (ownsInterpreter)
            {
                SetProgramName();
                PyApi.Py_InitializeEx(0);
            }
            var gil = ownsInterpreter ? 1 : PyApi.PyGILState_Ensure();
            try
            {
                SetUpInterpreter();
            }
            finally
            {
                if (ownsInterpreter) PyApi.PyEval_SaveThread();
                else PyApi.PyGILState_Release(gil);
            }
            initialized = true;
        }
    }

    private static void SetProgramName()
    {
        // wchar_t is 4 bytes on Linux/macOS; the string must outlive the interpreter, so it is never freed.
        var home = Environment.GetEnvironmentVariable("CSPYLIVE_PYTHONHOME");
        if (home is not null) PyApi.Py_SetPythonHome(AllocWide(home));
        var program = PythonLibrary.ProgramName;
        if (program is not null) PyApi.Py_SetProgramName(AllocWide(program));
    }

    private static void* AllocWide(string s)
    {
        var bytes = OperatingSystem.IsWindows() ? Encoding.Unicode.GetBytes(s + "\0") : Encoding.UTF32.GetBytes(s + "\0");
        var p = NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        return p;
    }

    /// <summary>
    /// One call through the version-chosen vectorcall entry point (<c>abs(-1.0)</c>), so that its marshalling stub is
    /// made here rather than at the first <c>pycall</c> on the audio thread. GIL held.
    /// </summary>
    private static void WarmUpVectorcall(BorrowedReference builtins)
    {
        var abs = PyApi.PyDict_GetItemString(builtins, "abs");
        using var arg = PyApi.PyFloat_FromDouble(-1);
        var a = arg.DangerousPointer;
        using var result = PyApi.PyObject_Vectorcall(abs, &a, 1, 0);
        if (result.IsNull) throw PythonException.Fetch("calling abs(-1.0) failed");
    }

    private static void SetUpInterpreter()
    {
        noneObject = PyApi.DataSymbol("_Py_NoneStruct");
        var main = PyApi.PyImport_AddModule("__main__");
        if (main.IsNull) throw PythonException.Fetch("no __main__ module");
        mainDict = PyApi.PyModule_GetDict(main).Pointer;
        using (var builtins = PyApi.PyImport_ImportModule("builtins"))
        {
            if (builtins.IsNull) throw PythonException.Fetch("no builtins module");
            var dict = PyApi.PyModule_GetDict(builtins);
            PyApi.Py_IncRef(dict.Pointer);
            builtinsDict = dict.Pointer;
            WarmUpVectorcall(dict);
        }
        helperDict = PyApi.PyDict_New().Steal().Pointer;
        PyApi.PyDict_SetItemString(new(helperDict), "__builtins__", new(builtinsDict));
        using (var writer = PythonOutputStream.CreateWriteFunction())
            PyApi.PyDict_SetItemString(new(helperDict), "_write", writer);
        Exec(HelperSource, new(helperDict), new(helperDict), "<cspylive>");
        var format = PyApi.PyDict_GetItemString(new(helperDict), "format_exception");
        PyApi.Py_IncRef(format.Pointer);
        formatException = format.Pointer;
        nameError = Helper("name_error");
        resultError = Helper("result_error");
        osErrorType = Helper("OSError_");
        tupleType = PyApi.DataSymbol("PyTuple_Type");
        CsPyLiveModule.Install();
    }

    private const string HelperSource = """
        import sys, traceback
        sys.setswitchinterval(0.0005)
        class CsPyLiveStream:
            '''sys.stdout/sys.stderr of CsPyLive: text goes to the engine's log, in order with Csound's messages.'''
            encoding = 'utf-8'
            errors = 'replace'
            def __init__(self, name):
                self.name = name
                self.write = _write
            def flush(self):
                pass
            def isatty(self):
                return False
            def writable(self):
                return True
        sys.stdout = CsPyLiveStream('<stdout>')
        sys.stderr = CsPyLiveStream('<stderr>')
        def format_exception(e):
            return ''.join(traceback.format_exception(e))
        def name_error(name):
            raise NameError(f"name '{name}' is not defined")
        def result_error(target, n, result):
            raise TypeError(f"{target} must return {n} numbers (a tuple or other sequence of {n}), "
                            f"not {type(result).__name__} {repr(result)[:80]}")
        OSError_ = OSError
        """;

    /// <summary>Runs statements in <c>__main__</c> (any thread; takes the GIL). Throws <see cref="PythonException"/>.</summary>
    public static void Run(string source, string filename = "<cspylive>")
    {
        EnsureInitialized();
        using var gil = Gil.Acquire();
        Exec(source, MainDict, MainDict, filename);
    }

    /// <summary>Evaluates an expression in <c>__main__</c> and returns its str() (for tests and the console).</summary>
    public static string Eval(string expression)
    {
        EnsureInitialized();
        using var gil = Gil.Acquire();
        using var code = Compile(expression, "<eval>", PyApi.Py_eval_input);
        using var result = PyApi.PyEval_EvalCode(code, MainDict, MainDict);
        if (result.IsNull) throw PythonException.Fetch("evaluation failed");
        return ToManagedString(result);
    }

    /// <summary>
    /// Runs a code object serialised with <c>marshal.dumps(compile(...))</c> (compiled off this process, so that
    /// compiling never holds the GIL here) in <c>__main__</c>. Any thread. Throws <see cref="PythonException"/>.
    /// </summary>
    public static void ExecMarshalled(ReadOnlySpan<byte> marshalledCode)
    {
        EnsureInitialized();
        using var gil = Gil.Acquire();
        NewReference code;
        fixed (byte* p = marshalledCode) code = PyApi.PyMarshal_ReadObjectFromString(p, marshalledCode.Length);
        using (code)
        {
            if (code.IsNull) throw PythonException.Fetch("unmarshal failed");
            using var result = PyApi.PyEval_EvalCode(code, MainDict, MainDict);
            if (result.IsNull) throw PythonException.Fetch("the code raised");
        }
    }

    internal static void Exec(string source, BorrowedReference globals, BorrowedReference locals, string filename)
    {
        using var code = Compile(source, filename, PyApi.Py_file_input);
        using var result = PyApi.PyEval_EvalCode(code, globals, locals);
        if (result.IsNull) throw PythonException.Fetch($"{filename} raised");
    }

    /// <summary>Compiles source (GIL held). Throws <see cref="PythonException"/> on a syntax error.</summary>
    internal static NewReference Compile(string source, string filename, int mode)
    {
        var code = TryCompile(source, filename, mode);
        if (code.IsNull) throw PythonException.Fetch($"{filename} does not compile");
        return code;
    }

    /// <summary>Compiles source (GIL held); NULL with a Python exception set on failure.</summary>
    internal static NewReference TryCompile(string source, string filename, int mode)
    {
        var src = Encoding.UTF8.GetBytes(source + "\0");
        var name = Encoding.UTF8.GetBytes(filename + "\0");
        fixed (byte* s = src)
        fixed (byte* n = name)
            return PyApi.Py_CompileString(s, n, mode);
    }

    /// <summary>
    /// Takes the pending Python exception and returns its formatted traceback (a str; NULL only if even formatting
    /// failed). Clears the error. GIL held. Allocates in Python, not in .NET.
    /// </summary>
    internal static NewReference TakeExceptionText()
    {
        nint type, value, traceback;
        FetchException(&type, &value, &traceback);
        var text = value != 0 ? FormatException(new(value)) : default;
        if (type != 0) PyApi.Py_DecRef(type);
        if (value != 0) PyApi.Py_DecRef(value);
        if (traceback != 0) PyApi.Py_DecRef(traceback);
        return text;
    }

    /// <summary>PyErr_Fetch + normalise + attach the traceback to the value. Three new references out (may be 0).</summary>
    internal static void FetchException(nint* type, nint* value, nint* traceback)
    {
        PyApi.PyErr_Fetch(type, value, traceback);
        PyApi.PyErr_NormalizeException(type, value, traceback);
        if (*value != 0 && *traceback != 0) SetTraceback(*value, *traceback);
    }

    /// <summary>traceback.format_exception(value) joined into one str; falls back to str(value). GIL held.</summary>
    internal static NewReference FormatException(BorrowedReference value)
    {
        var arg = value.Pointer;
        var text = PyApi.PyObject_Vectorcall(new(formatException), &arg, 1, 0);
        if (!text.IsNull) return text;
        PyApi.PyErr_Clear();
        text = PyApi.PyObject_Str(value);
        if (text.IsNull) PyApi.PyErr_Clear();
        return text;
    }

    // PyErr_Fetch may leave the traceback apart from the value; attach it so format_exception shows it.
    private static void SetTraceback(nint value, nint traceback) =>
        PyApi.PyException_SetTraceback(new(value), new(traceback));

    /// <summary>UTF-8 view of a str (valid while the object lives); empty for NULL or non-str. GIL held.</summary>
    internal static ReadOnlySpan<byte> Utf8(BorrowedReference str)
    {
        if (str.IsNull) return default;
        nint size;
        var p = PyApi.PyUnicode_AsUTF8AndSize(str, &size);
        if (p == null)
        {
            PyApi.PyErr_Clear();
            return default;
        }
        return new ReadOnlySpan<byte>(p, (int)size);
    }

    internal static string ToManagedString(BorrowedReference o)
    {
        using var str = PyApi.PyObject_Str(o);
        if (str.IsNull) throw PythonException.Fetch("str() failed");
        return Encoding.UTF8.GetString(Utf8(str));
    }
}
