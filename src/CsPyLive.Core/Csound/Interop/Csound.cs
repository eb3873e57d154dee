using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CsPyLive.Csound.Interop;

/// <summary>
/// The raw libcsound 6 C API (csound.h), names kept so the header can be grepped. MYFLT is <c>double</c> in
/// libcsound64. C <c>long</c> is <see cref="CLong"/> (32-bit on Windows). Every function that takes the API lock
/// (score events, compile, kill) must be called from the performing thread between k-cycles, or it waits for one.
/// </summary>
internal static unsafe partial class Csound
{
    internal const int CSOUNDINIT_NO_SIGNAL_HANDLER = 1;
    internal const int CSOUNDINIT_NO_ATEXIT = 2;

    // csound.h controlChannelType
    internal const int CSOUND_CONTROL_CHANNEL = 1;
    internal const int CSOUND_AUDIO_CHANNEL = 2;
    internal const int CSOUND_STRING_CHANNEL = 3;
    internal const int CSOUND_INPUT_CHANNEL = 16;
    internal const int CSOUND_OUTPUT_CHANNEL = 32;

    // csound.h message attributes (CSOUNDMSG_*)
    internal const int CSOUNDMSG_TYPE_MASK = 0x7000;
    internal const int CSOUNDMSG_ERROR = 0x1000;
    internal const int CSOUNDMSG_WARNING = 0x4000;

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundInitialize")]
    internal static partial int csoundInitialize(int flags);

    /// <summary>CSOUND *csoundCreate(void *hostData)</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundCreate")]
    internal static partial nint csoundCreate(nint hostData);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundDestroy")]
    internal static partial void csoundDestroy(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetVersion")]
    internal static partial int csoundGetVersion();

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetOption", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int csoundSetOption(nint csound, string option);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundCompileCsd", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int csoundCompileCsd(nint csound, string path);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundCompileCsdText", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int csoundCompileCsdText(nint csound, string text);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundStart")]
    internal static partial int csoundStart(nint csound);

    /// <summary>Performs one k-cycle. Returns 0 while running, nonzero at score end or on error.</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundPerformKsmps")]
    internal static partial int csoundPerformKsmps(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundCleanup")]
    internal static partial int csoundCleanup(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundReset")]
    internal static partial void csoundReset(nint csound);

    /// <summary>const char* csoundGetInputName(CSOUND*): the -i name (e.g. "adc"), or NULL when none was given.</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetInputName")]
    internal static partial byte* csoundGetInputName(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetHostImplementedAudioIO")]
    internal static partial void csoundSetHostImplementedAudioIO(nint csound, int state, int bufSize);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetHostImplementedMIDIIO")]
    internal static partial void csoundSetHostImplementedMIDIIO(nint csound, int state);

    /// <summary>void csoundSetExternalMidiInOpenCallback(CSOUND*, int (*)(CSOUND*, void** userData, const char* devName)).</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetExternalMidiInOpenCallback")]
    internal static partial void csoundSetExternalMidiInOpenCallback(nint csound, delegate* unmanaged<nint, nint*, byte*, int> open);

    /// <summary>void csoundSetExternalMidiReadCallback(CSOUND*, int (*)(CSOUND*, void* userData, unsigned char* buf, int nBytes)):
    /// called inside csoundPerformKsmps each k-cycle; returns the bytes written.</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetExternalMidiReadCallback")]
    internal static partial void csoundSetExternalMidiReadCallback(nint csound, delegate* unmanaged<nint, nint, byte*, int, int> read);

    /// <summary>void csoundSetExternalMidiInCloseCallback(CSOUND*, int (*)(CSOUND*, void* userData)).</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetExternalMidiInCloseCallback")]
    internal static partial void csoundSetExternalMidiInCloseCallback(nint csound, delegate* unmanaged<nint, nint, int> close);

    /// <summary>MYFLT *csoundGetSpout(CSOUND *): ksmps x nchnls interleaved doubles, valid until reset.</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetSpout")]
    internal static partial double* csoundGetSpout(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetSpin")]
    internal static partial double* csoundGetSpin(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetSr")]
    internal static partial double csoundGetSr(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetKsmps")]
    internal static partial uint csoundGetKsmps(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetNchnls")]
    internal static partial uint csoundGetNchnls(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetNchnlsInput")]
    internal static partial uint csoundGetNchnlsInput(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGet0dBFS")]
    internal static partial double csoundGet0dBFS(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetCurrentTimeSamples")]
    internal static partial long csoundGetCurrentTimeSamples(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetHostData")]
    internal static partial nint csoundGetHostData(nint csound);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetMessageLevel")]
    internal static partial void csoundSetMessageLevel(nint csound, int level);

    /// <summary>
    /// void csoundSetDefaultMessageCallback(void (*)(CSOUND*, int attr, const char *format, va_list args)): messages
    /// printed before an instance has its own callback (plugin loading inside csoundCreate). <c>va_list</c> arrives
    /// as a pointer on the platforms we support (an array type on x86-64 SysV, char* on Windows, passed by reference
    /// on AArch64) and goes straight to <see cref="vsnprintf"/>.
    /// </summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetDefaultMessageCallback")]
    internal static partial void csoundSetDefaultMessageCallback(delegate* unmanaged<nint, int, byte*, nint, void> callback);

    /// <summary>int vsnprintf(char *str, size_t size, const char *format, va_list ap), from the C library.</summary>
    [LibraryImport("libc", EntryPoint = "vsnprintf")]
    internal static partial int vsnprintf(byte* buffer, nuint size, byte* format, nint args);

    /// <summary>void csoundSetMessageStringCallback(CSOUND*, void (*)(CSOUND*, int attr, const char *str))</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundSetMessageStringCallback")]
    internal static partial void csoundSetMessageStringCallback(
        nint csound, delegate* unmanaged<nint, int, byte*, void> callback);

    /// <summary>int csoundGetChannelPtr(CSOUND*, MYFLT **p, const char *name, int type); 0 on success.</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundGetChannelPtr", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int csoundGetChannelPtr(nint csound, double** p, string name, int type);

    /// <summary>int csoundScoreEvent(CSOUND*, char type, const MYFLT *pFields, long numFields). Takes the API lock.</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundScoreEvent")]
    internal static partial int csoundScoreEvent(nint csound, byte type, double* pFields, CLong numFields);

    /// <summary>int csoundCompileOrc(CSOUND*, const char *str): compiles orchestra code into the running engine.</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundCompileOrc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int csoundCompileOrc(nint csound, string orchestra);

    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundInputMessage", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void csoundInputMessage(nint csound, string message);

    /// <summary>int csoundKillInstance(CSOUND*, MYFLT instr, char *instrName, int mode, int allow_release)</summary>
    [LibraryImport(CsoundLibrary.Name, EntryPoint = "csoundKillInstance")]
    internal static partial int csoundKillInstance(nint csound, double instr, byte* instrName, int mode, int allowRelease);

    /// <summary>
    /// int csoundAppendOpcode(CSOUND*, const char* opname, int dsblksiz, int flags, int thread, const char* outypes,
    /// const char* intypes, int (*iopadr)(CSOUND*, void*), int (*kopadr)(CSOUND*, void*), int (*aopadr)(CSOUND*, void*)).
    /// Not a LibraryImport: Csound keeps the name and type strings without copying them, so marshalled (freed)
    /// strings would dangle; callers pass pointers that live forever.
    /// </summary>
    internal static int csoundAppendOpcodeExport(nint csound, byte* opname, int dsblksiz, int flags, int thread,
        byte* outypes, byte* intypes, delegate* unmanaged<nint, nint, int> iopadr, delegate* unmanaged<nint, nint, int> kopadr,
        delegate* unmanaged<nint, nint, int> aopadr) =>
        ((delegate* unmanaged<nint, byte*, int, int, int, byte*, byte*, delegate* unmanaged<nint, nint, int>,
            delegate* unmanaged<nint, nint, int>, delegate* unmanaged<nint, nint, int>, int>)AppendOpcodeExport.Value)(
            csound, opname, dsblksiz, flags, thread, outypes, intypes, iopadr, kopadr, aopadr);

    private static readonly Lazy<nint> AppendOpcodeExport =
        new(() => NativeLibrary.GetExport(CsoundLibrary.Load(), "csoundAppendOpcode"));
}
