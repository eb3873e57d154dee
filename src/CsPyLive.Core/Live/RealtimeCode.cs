using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using CsPyLive.Audio.Jack;
using CsPyLive.Audio.Null;
using CsPyLive.Csound;
using CsPyLive.Inputs;
using CsPyLive.Midi;
using CsPyLive.Osc;
using CsPyLive.Python;
using CsPyLive.Python.CPython;
using CsPyLive.Python.Opcodes;
using CsPyLive.Realtime;

namespace CsPyLive.Live;

/// <summary>
/// Compiles the code that runs on the audio thread before the first callback. With tiered compilation off (ADR 0007)
/// the JIT compiles each method, fully optimised, at its first call; on the audio thread that first call is a
/// compile of a millisecond or more inside a callback. Measured on patches/markov: the first callbacks compiled the
/// pycall path, opcode init and helpers there, and the longest callback was 5–20 ms, an xrun at the start of a show.
/// </summary>
/// <remarks>Every method a listed type declares is compiled (a few hundred, ~0.1 s at start), so nothing is missed
/// for want of knowing which branch a patch takes. <see cref="LiveStats.AudioThreadJitMethods"/> checks the list.</remarks>
internal static class RealtimeCode
{
    /// <summary>Types whose code runs on the audio thread (the callback, opcodes Csound calls there, k-boundary work).</summary>
    private static readonly Type[] AudioThreadTypes =
    [
        typeof(ShowCallback), typeof(Recorder), typeof(Engine), typeof(BlockAdapter), typeof(ActionScheduler),
        typeof(ChannelTable), typeof(BlockClock), typeof(HostMidiInput), typeof(KBoundaryHandlers), typeof(BoundedQueue<TimedAction>),
        typeof(DurationHistogram), typeof(SampleRing), typeof(ThreadScheduling), typeof(NullAudioBackend),
        typeof(Csound.Interop.Csound), typeof(ActionSink), typeof(MidiInputStream), typeof(MidiStreamParser), typeof(MidiRouter),
        typeof(CsoundMidiInput), typeof(MidiMessage), typeof(MidiChannel), typeof(SevenBitNumber), typeof(FourteenBitNumber),
        typeof(TimedAction), typeof(PFields), typeof(OscActions), typeof(ShowPanic), typeof(Audio.AudioBuffers), typeof(ReportBudget),
        typeof(AppliedLog), typeof(BoundedQueue<AppliedEntry>), typeof(Csound.Interop.FloatRounding), typeof(Sync.BeatClock), typeof(Sync.HostTimeFilter),
        typeof(OutputMeters), typeof(BoundedQueue<MeterWindow>), typeof(OutputFade),
        typeof(Sync.Link.LinkSession), typeof(Sync.Link.LinkState), typeof(Sync.MidiClockFollower), typeof(Sync.MidiClockOut),
        typeof(Sync.BeatPosition), typeof(Sync.LineFit), typeof(Audio.MidiOutputBuffer), typeof(Sync.JackTransportFollower), typeof(Sync.JackTimebaseMaster),
        typeof(Audio.TransportPosition),
    ];

    /// <summary>The same for code that calls into libpython: compiled once it is loaded (compiling binds the library).</summary>
    private static readonly Type[] PythonTypes =
    [
        typeof(PythonOpcodes), typeof(PyCallOpcodes), typeof(PyCodeOpcodes), typeof(OpcodeInit), typeof(OpcodeBlock),
        typeof(OpcodeErrors), typeof(LocalNamespace), typeof(CsoundFunctions), typeof(Gil), typeof(PythonErrors),
        typeof(PythonOutputStream), typeof(PythonWatchdog), typeof(PyApi), typeof(PythonRuntime), typeof(RunawayCalls), typeof(BorrowedReference), typeof(NewReference),
        typeof(StolenReference), typeof(OscPython), typeof(Python.Reload.HotReloader), typeof(Python.Reload.SwapSlots),
        typeof(Python.Reload.ReloadHelpers), typeof(CsPyLiveModule),
    ];

    /// <summary>And for libjack, once a JACK backend has loaded it.</summary>
    private static readonly Type[] JackTypes = [typeof(JackAudioBackend), typeof(Audio.Jack.Interop.Jack), typeof(JackClient)];

    /// <summary>And for PortAudio, once loaded; the ASIO path is managed code (NAudio raises it) and always compiled.</summary>
    private static readonly Type[] PortAudioTypes = [typeof(Audio.PortAudio.PortAudioBackend), typeof(Audio.PortAudio.Interop.PortAudio)];
    private static readonly Type[] AsioTypes = [typeof(Audio.Asio.AsioAudioBackend), typeof(Audio.SampleConverters)];

    /// <summary>
    /// A callback's steady-state path, callees before callers: compiled first and one after the other, so that its
    /// code sits together on a few pages instead of among a few hundred methods. On this VM every cold page or line
    /// a callback touches after JACK wakes it costs 0.1–1 us; measured with timestamps in the callback, the hand-off
    /// from the JACK callback to the show's callback took ~0.5 us less a period this way.
    /// </summary>
    private static readonly (Type Type, string Method)[] HotPath =
    [
        (typeof(BoundedQueue<TimedAction>), "get_IsEmpty"), (typeof(ActionScheduler), "get_HasWork"), (typeof(ActionScheduler), "ApplyDue"),
        (typeof(BlockAdapter), "PullInput"), (typeof(Engine), "PerformKCycle"), (typeof(BlockAdapter), "PushInput"),
        (typeof(BlockAdapter), "ProcessBlock"), (typeof(BlockAdapter), "Process"), (typeof(BlockClock), "Mark"), (typeof(Engine), "Process"),
        (typeof(ShowCallback), "Process"),
    ];

    /// <summary>The same for the JACK callback, compiled once libjack is loaded.</summary>
    private static readonly (Type Type, string Method)[] JackHotPath =
    [
        (typeof(JackAudioBackend), "Interleave"), (typeof(JackAudioBackend), "Deinterleave"),
        (typeof(JackAudioBackend), "ReadMidi"), (typeof(JackAudioBackend), "WriteMidi"), (typeof(JackAudioBackend), "ReadTransport"), (typeof(JackAudioBackend), "Process"), (typeof(JackAudioBackend), "OnProcess"),
    ];

    /// <summary>
    /// Generic methods of the base library (and the compiler's inline-array helpers) that the audio thread calls, for
    /// the instantiations it calls them with. A generic instantiation is compiled at its first call like any method,
    /// and listing types does not reach it; calling each here, once, on the control thread compiles it. Measured with
    /// <c>DOTNET_JitStdOutFile</c>: <c>AsSpan&lt;float&gt;(float[], int, int)</c> (the null backend's thread),
    /// <c>CopyTo&lt;double&gt;(double[], Span&lt;double&gt;)</c> and <c>PFields</c>' span helpers (a MIDI note's
    /// p-fields) were the methods first compiled inside a callback.
    /// </summary>
    private static void CompileLibraryGenerics()
    {
        var floats = new float[2];
        floats.AsSpan().Clear();
        floats.AsSpan(1).Clear();
        floats.AsSpan(0, 1).Clear();
        Span<double> p = stackalloc double[3];
        new double[1].CopyTo(p);
        _ = TimedAction.ScoreEvent(0, 'i', p);
        // the show log's records (AppliedLog): p-fields as bytes, and a span of them
        var entry = new AppliedEntry();
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes((Span<double>)entry.P);
        ((ReadOnlySpan<byte>)bytes[..1]).CopyTo(bytes);
        ((ReadOnlySpan<double>)entry.P)[..1].CopyTo(entry.P);
        // sample-accurate events (Engine.ScoreEventOnItsFrame): p2 through the inline array's element helpers, and the
        // rounding mode read and set once, so libm is found and the two calls' stubs made here rather than in a callback
        var fields = new PFields();
        fields[1] += 1;
        ref var first = ref fields[0];
        first += 1;
        Csound.Interop.FloatRounding.Restore(Csound.Interop.FloatRounding.EnterDownward());
        // MIDI clock in and out (MidiClockFollower.Receive, MidiClockOut): byte spans of a message, pinned for JACK
        var message = new byte[3];
        var count = new int[1];
        var clockBuffer = new Audio.MidiOutputBuffer(64, stackalloc byte[16], count);
        clockBuffer.Write(0, message.AsSpan(0, 1));
        clockBuffer.Write(0, message);
        foreach (var b in (ReadOnlySpan<byte>)message) count[0] += b;
        Audio.MidiOutputBuffer.Pin(message);
        // the meters' windows (OutputMeters.Measure): their per-channel inline arrays, read and written by index
        // (by a variable index, as there: a constant index compiles to another helper)
        var window = new MeterWindow();
        for (var c = 0; c < 1; c++)
        {
            window.Peak[c] += window.SumOfSquares[c];
            window.SumOfSquares[c] += window.Peak[c];
            window.Clips[c] += window.Clips[c] + 1;
        }
    }

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static readonly HashSet<Type> Prepared = [];

    /// <summary>Why the walk over types by reflection is safe to trim around: it runs only under the JIT.</summary>
    private const string JitOnly = "Runs only under the JIT (RuntimeFeature.IsDynamicCodeSupported); a NativeAOT build compiled every method ahead and returns before the walk.";

    /// <summary>
    /// Compiles what is not compiled yet of the lists whose native library is loaded. Control thread, in the callback's
    /// about-to-start hook, before the backend's first period (and again before a restart: nothing is left by then).
    /// </summary>
    public static void Prepare()
    {
        // A NativeAOT build compiled all of it ahead: there is no JIT to warm (ADR 0015).
        if (!RuntimeFeature.IsDynamicCodeSupported) return;
        lock (Prepared)
        {
            PrepareAll(AudioThreadTypes, HotPath);
            CompileLibraryGenerics();
            if (PythonLibrary.LoadedPath is not null) PrepareAll(PythonTypes, []);
            if (Audio.Jack.Interop.JackLibrary.IsLoaded) PrepareAll(JackTypes, JackHotPath);
            if (Audio.PortAudio.Interop.PortAudioLibrary.IsLoaded) PrepareAll(PortAudioTypes, []);
            PrepareAll(AsioTypes, []);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2080", Justification = JitOnly)]
    private static void PrepareAll(Type[] types, (Type Type, string Method)[] hotPath)
    {
        foreach (var (type, name) in hotPath)
        {
            if (Prepared.Contains(type)) continue;
            var method = type.GetMethod(name, Declared) ?? throw new MissingMethodException(type.Name, name);
            RuntimeHelpers.PrepareMethod(method.MethodHandle, Instantiation(type));
        }
        foreach (var type in types)
            if (Prepared.Add(type)) PrepareType(type);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = JitOnly)]
    private static void PrepareType(Type type)
    {
        var instantiation = Instantiation(type);
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method.IsAbstract || method.ContainsGenericParameters) continue;
            try
            {
                // A virtual method (an interface's implementation, such as MidiInputStream.Receive) may have no entry
                // point yet, and PrepareMethod then compiles nothing; asking for its address first gives it one.
                if (method.IsVirtual && instantiation is null) method.MethodHandle.GetFunctionPointer();
                RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or BadImageFormatException or DllNotFoundException or EntryPointNotFoundException)
            {
                // Some methods cannot be prepared ahead (e.g. ones the runtime implements itself); they are not ours to run.
            }
        }
        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            if (!nested.ContainsGenericParameters) PrepareType(nested);
    }

    /// <summary>The type arguments a closed generic type's methods are compiled for; null for other types.</summary>
    private static RuntimeTypeHandle[]? Instantiation(Type type) =>
        type.IsGenericType ? type.GetGenericArguments().Select(t => t.TypeHandle).ToArray() : null;
}
