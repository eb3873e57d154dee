using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CsPyLive.Python.Opcodes;

/// <summary>
/// Byte offsets into Csound 6.18's C structs (64-bit, MYFLT = double) that the opcodes read. Checked against
/// /usr/include/csound by a test that compiles a C program printing offsetof/sizeof (OpcodeLayoutTests).
/// </summary>
internal static class CsoundLayout
{
    /// <summary>sizeof(OPDS): nxti, nxtp, iopadr, opadr, optext, insdshead.</summary>
    internal const int OpdsSize = 48;
    internal const int OpdsInsdshead = 40;

    /// <summary>STRINGDAT { char *data; int size; }</summary>
    internal const int StringDatData = 0;
    internal const int StringDatSize = 16;

    /// <summary>INSDS.insno (int16) and INSDS.pylocal (void*, reserved for the Python opcodes' local dict).</summary>
    internal const int InsdsInsno = 96;
    internal const int InsdsPylocal = 136;

    // Offsets of function pointers in struct CSOUND_ (the API table opcodes get).
    internal const int CsoundGetReinitFlag = 280;
    internal const int CsoundGetInputArgCnt = 336;
    internal const int CsoundGetOutputArgCnt = 352;
    internal const int CsoundFree = 432;
    internal const int CsoundInitError = 768;
    internal const int CsoundPerfError = 776;
    internal const int CsoundFindInputFile = 1064;
    internal const int CsoundRegisterDeinitCallback = 1496;
    internal const int CsoundGetOpcodeName = 1536;
}

/// <summary>
/// Calls through the CSOUND function table an opcode receives (<c>csound-&gt;InitError(...)</c> and friends): these are
/// not exported by libcsound. Only non-variadic calls are made: InitError is called with a format that has no
/// conversions left (every '%' doubled), so no variadic arguments are passed.
/// </summary>
internal static unsafe class CsoundFunctions
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Fn(nint csound, int offset) => *(nint*)(csound + offset);

    internal static int GetInputArgCnt(nint csound, nint p) =>
        ((delegate* unmanaged<nint, int>)Fn(csound, CsoundLayout.CsoundGetInputArgCnt))(p);

    internal static int GetOutputArgCnt(nint csound, nint p) =>
        ((delegate* unmanaged<nint, int>)Fn(csound, CsoundLayout.CsoundGetOutputArgCnt))(p);

    internal static int GetReinitFlag(nint csound) =>
        ((delegate* unmanaged<nint, int>)Fn(csound, CsoundLayout.CsoundGetReinitFlag))(csound);

    /// <summary>The opcode's name as Csound knows it (static storage).</summary>
    internal static byte* GetOpcodeName(nint csound, nint p) =>
        ((delegate* unmanaged<nint, byte*>)Fn(csound, CsoundLayout.CsoundGetOpcodeName))(p);

    /// <summary>
    /// Finds a file the way Csound does: as given (absolute, or relative to the working directory), then in the
    /// directories of INCDIR and SSDIR (set e.g. with <c>--env:INCDIR+=/patch/dir</c>); null if not found.
    /// </summary>
    internal static string? FindInputFile(nint csound, string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        var env = "INCDIR;SSDIR\0"u8;
        byte* found;
        fixed (byte* n = bytes)
        fixed (byte* e = env)
            found = ((delegate* unmanaged<nint, byte*, byte*, byte*>)Fn(csound, CsoundLayout.CsoundFindInputFile))(csound, n, e);
        if (found == null) return null;
        var path = Marshal.PtrToStringUTF8((nint)found);
        ((delegate* unmanaged<nint, void*, void>)Fn(csound, CsoundLayout.CsoundFree))(csound, found);
        return path;
    }

    /// <summary>
    /// Reports an init error: Csound prints "INIT ERROR in instr N (opcode X) line L: message" through its message
    /// callback (so the engine's log gets it, as an error) and does not start the note. Returns NOTOK.
    /// </summary>
    internal static int InitError(nint csound, ReadOnlySpan<byte> utf8Message)
    {
        var escaped = 0;
        foreach (var b in utf8Message) if (b == (byte)'%') escaped++;
        var buffer = new byte[utf8Message.Length + escaped + 2]; // error path: allocation is fine here
        var j = 0;
        foreach (var b in utf8Message)
        {
            buffer[j++] = b;
            if (b == (byte)'%') buffer[j++] = b;
        }
        buffer[j] = 0;
        fixed (byte* fmt = buffer)
            return ((delegate* unmanaged<nint, byte*, int>)Fn(csound, CsoundLayout.CsoundInitError))(csound, fmt);
    }

    /// <summary>
    /// Csound's perf error: prints "PERF ERROR in instr N (opcode X) line L: message ... note aborted" and turns the
    /// note off now (xturnoff_now; the k-cycle loop then skips its remaining opcodes). Performing thread, inside the
    /// opcode's perf function. <paramref name="utf8Message"/> ends with a NUL and has no '%'. Returns non-zero, for
    /// the opcode to return.
    /// </summary>
    internal static int PerfError(nint csound, nint p, ReadOnlySpan<byte> utf8Message)
    {
        fixed (byte* fmt = utf8Message)
            return ((delegate* unmanaged<nint, nint, byte*, int>)Fn(csound, CsoundLayout.CsoundPerfError))(csound, p, fmt);
    }

    /// <summary>int RegisterDeinitCallback(CSOUND*, void *p, int (*func)(CSOUND*, void*)): runs at note end.</summary>
    internal static int RegisterDeinitCallback(nint csound, nint p, delegate* unmanaged<nint, nint, int> callback) =>
        ((delegate* unmanaged<nint, nint, delegate* unmanaged<nint, nint, int>, int>)
            Fn(csound, CsoundLayout.CsoundRegisterDeinitCallback))(csound, p, callback);
}
