using System.Collections.Concurrent;
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

    /// <summary>Engines (by CSOUND*) whose orchestra has run pyinit; consulted at init time only.</summary>
    private static readonly ConcurrentDictionary<nint, bool> PyinitRan = new();

    /// <summary>Registers the whole family into the engine's Csound instance. Control thread, before compiling.</summary>
    public static void Register(Engine engine)
    {
        var cs = engine.Handle;
        PyinitRan[cs] = false;
        var size = OpcodeBlock.Size;
        Append(cs, "pyinit", size, 1, "", "", &PyInit, null);
        foreach (var prefix in new[] { "py", "pyl" })
        {
            foreach (var family in new[] { "run", "exec" })
            {
                Append(cs, prefix + family, size, 3, "", "S", &OpcodeInit.Init, &PyCodeOpcodes.RunPerf);
                Append(cs, prefix + family + "i", size, 1, "", "S", &OpcodeInit.Init, null);
                Append(cs, prefix + family + "t", size, 3, "", "kS", &OpcodeInit.Init, &PyCodeOpcodes.RunPerf);
            }
            Append(cs, prefix + "eval", size, 3, "k", "S", &OpcodeInit.Init, &PyCodeOpcodes.EvalPerf);
            Append(cs, prefix + "evali", size, 1, "i", "S", &OpcodeInit.Init, null);
            Append(cs, prefix + "evalt", size, 3, "k", "kS", &OpcodeInit.Init, &PyCodeOpcodes.EvalPerf);
            Append(cs, prefix + "assign", size, 3, "", "Sz", &OpcodeInit.Init, &PyCodeOpcodes.AssignPerf);
            Append(cs, prefix + "assigni", size, 1, "", "Sm", &OpcodeInit.Init, null);
            Append(cs, prefix + "assignt", size, 3, "", "kSz", &OpcodeInit.Init, &PyCodeOpcodes.AssignPerf);
            for (var n = 0; n <= 8; n++)
            {
                var name = prefix + "call" + (n == 0 ? "" : n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var k = new string('k', n);
                var i = new string('i', n);
                // 'z' needs at least one argument, so each k form also gets a no-argument entry.
                Append(cs, name, size, 3, k, "SM", &OpcodeInit.Init, &PyCallOpcodes.CallPerf);
                Append(cs, name + "t", size, 3, k, "kSM", &OpcodeInit.Init, &PyCallOpcodes.CallPerf);
                Append(cs, name + "i", size, 1, i, "Sm", &OpcodeInit.Init, null);
            }
            Append(cs, prefix + "calln", size, 3, "", "Siz", &OpcodeInit.Init, &PyCallOpcodes.CallPerf);
            Append(cs, prefix + "callni", size, 1, "", "Sim", &OpcodeInit.Init, null);
        }
    }

    private static void Append(nint cs, string name, int size, int thread, string outTypes, string inTypes,
        delegate* unmanaged<nint, nint, int> init, delegate* unmanaged<nint, nint, int> perf)
    {
        // csoundAppendOpcode keeps the string pointers it is given (it does not copy them): they must live as long as
        // the Csound instance, so they are allocated once per process and never freed. The marshalling overload in
        // Interop/Csound.cs frees its temporary copies after the call, which left the names dangling.
        var append = (delegate* unmanaged<nint, byte*, int, int, int, byte*, byte*,
            delegate* unmanaged<nint, nint, int>, delegate* unmanaged<nint, nint, int>, delegate* unmanaged<nint, nint, int>, int>)
            AppendOpcodeExport.Value;
        if (append(cs, Permanent(name), size, 0, thread, Permanent(outTypes), Permanent(inTypes), init, perf, null) != 0)
            throw new CsoundException($"Csound refused to register the opcode {name}");
    }

    private static readonly Lazy<nint> AppendOpcodeExport =
        new(() => NativeLibrary.GetExport(CsoundLibrary.Load(), "csoundAppendOpcode"));

    private static readonly ConcurrentDictionary<string, nint> PermanentStrings = new(StringComparer.Ordinal);

    private static byte* Permanent(string s) =>
        (byte*)PermanentStrings.GetOrAdd(s, static text => Marshal.StringToCoTaskMemUTF8(text));

    internal static bool HasRunPyinit(nint csound) => PyinitRan.TryGetValue(csound, out var ran) && ran;

    [UnmanagedCallersOnly]
    private static int PyInit(nint csound, nint p)
    {
        try
        {
            PythonRuntime.EnsureInitialized();
            var host = csoundGetHostData(csound);
            if (host != 0 && GCHandle.FromIntPtr(host).Target is Engine engine) PythonRuntime.Output = engine.Messages;
            PyinitRan[csound] = true;
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
