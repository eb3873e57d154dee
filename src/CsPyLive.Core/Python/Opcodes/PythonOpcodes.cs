using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsPyLive.Csound;
using CsPyLive.Csound.Interop;
using CsPyLive.Python.CPython;
using static CsPyLive.Csound.Interop.Csound;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// Csound's Python opcode family (pyinit, pyrun*, pyexec*, pyeval*, pyassign*, pycall*, and every pyl* twin),
/// implemented on our own libpython binding and registered into an <see cref="Engine"/> with csoundAppendOpcode.
/// </summary>
/// <remarks>
/// <para>Use: <c>engine.BeforeCompile += PythonOpcodes.Register;</c> (or call it before the first compile). Our
/// entries are registered before Csound loads its plugin libraries, so where csound-plugins' libpy.so is installed
/// too, ours are the ones an orchestra gets (a test proves it).</para>
/// <para>Every entry point is an <c>[UnmanagedCallersOnly]</c> static function; no exception crosses into C. The
/// opcodes run on whichever thread performs and take the GIL per call.</para>
/// </remarks>
public static unsafe class PythonOpcodes
{
    private const int OK = 0;

    /// <summary>Whether each engine's orchestra has run pyinit; consulted at init time (a lock-free read) and by hosts.</summary>
    private static readonly ConditionalWeakTable<Engine, StrongBox<bool>> PyinitRan = new();

    /// <summary>Registers the whole family into the engine's Csound instance. Control thread, before compiling.</summary>
    public static void Register(Engine engine)
    {
        PyinitRan.AddOrUpdate(engine, new StrongBox<bool>(false));
        var size = OpcodeBlock.Size;
        Append(engine, "pyinit", size, 1, "", "", &PyInit, null);
        foreach (var prefix in new[] { "py", "pyl" })
        {
            foreach (var family in new[] { "run", "exec" })
            {
                Append(engine, prefix + family, size, 3, "", "S", &OpcodeInit.Init, &PyCodeOpcodes.RunPerf);
                Append(engine, prefix + family + "i", size, 1, "", "S", &OpcodeInit.Init, null);
                Append(engine, prefix + family + "t", size, 3, "", "kS", &OpcodeInit.Init, &PyCodeOpcodes.RunPerf);
            }
            Append(engine, prefix + "eval", size, 3, "k", "S", &OpcodeInit.Init, &PyCodeOpcodes.EvalPerf);
            Append(engine, prefix + "evali", size, 1, "i", "S", &OpcodeInit.Init, null);
            Append(engine, prefix + "evalt", size, 3, "k", "kS", &OpcodeInit.Init, &PyCodeOpcodes.EvalPerf);
            Append(engine, prefix + "assign", size, 3, "", "Sz", &OpcodeInit.Init, &PyCodeOpcodes.AssignPerf);
            Append(engine, prefix + "assigni", size, 1, "", "Sm", &OpcodeInit.Init, null);
            Append(engine, prefix + "assignt", size, 3, "", "kSz", &OpcodeInit.Init, &PyCodeOpcodes.AssignPerf);
            for (var n = 0; n <= 8; n++)
            {
                var name = prefix + "call" + (n == 0 ? "" : n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var k = new string('k', n);
                var i = new string('i', n);
                // 'z' needs at least one argument, so each k form also gets a no-argument entry.
                Append(engine, name, size, 3, k, "SM", &OpcodeInit.Init, &PyCallOpcodes.CallPerf);
                Append(engine, name + "t", size, 3, k, "kSM", &OpcodeInit.Init, &PyCallOpcodes.CallPerf);
                Append(engine, name + "i", size, 1, i, "Sm", &OpcodeInit.Init, null);
            }
            Append(engine, prefix + "calln", size, 3, "", "Siz", &OpcodeInit.Init, &PyCallOpcodes.CallPerf);
            Append(engine, prefix + "callni", size, 1, "", "Sim", &OpcodeInit.Init, null);
        }
    }

    private static void Append(Engine engine, string name, int size, int thread, string outTypes, string inTypes,
        delegate* unmanaged<nint, nint, int> init, delegate* unmanaged<nint, nint, int> perf) =>
        // Csound keeps the string pointers it is given (it does not copy them): they must live as long as the
        // instance, so they are allocated once per process and never freed.
        engine.AppendOpcode(Permanent(name), size, thread, Permanent(outTypes), Permanent(inTypes), init, perf);

    private static readonly ConcurrentDictionary<string, nint> PermanentStrings = new(StringComparer.Ordinal);

    private static byte* Permanent(string s) =>
        (byte*)PermanentStrings.GetOrAdd(s, static text => Marshal.StringToCoTaskMemUTF8(text));

    internal static bool HasRunPyinit(nint csound) => Engine.FromNative(csound) is { } engine && UsedBy(engine);

    /// <summary>Whether <paramref name="engine"/>'s orchestra has run pyinit, i.e. uses Python. Any thread.</summary>
    public static bool UsedBy(Engine engine) => PyinitRan.TryGetValue(engine, out var ran) && ran.Value;

    [UnmanagedCallersOnly]
    private static int PyInit(nint csound, nint p)
    {
        try
        {
            PythonRuntime.EnsureInitialized();
            if (Engine.FromNative(csound) is { } engine)
            {
                PythonRuntime.Output = engine.Messages;
                if (PyinitRan.TryGetValue(engine, out var ran)) ran.Value = true;
            }
            using var gil = Gil.Acquire();
            using var address = PyApi.PyLong_FromVoidPtr(csound);
            PyApi.PyDict_SetItemString(PythonRuntime.MainDict, "_CSOUND_", address);
            return OK;
        }
        catch (Exception e)
        {
            return OpcodeErrors.InitFailure(csound, "pyinit: Python could not start: " + e.Message);
        }
    }
}
