using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static CsPyLive.Csound.Interop.Csound;
using CsPyLive.Csound.Interop;

namespace CsPyLive.Csound;

/// <summary>
/// One Csound instance driven k-cycle by k-cycle by the host, with the samples in the host's hands.
/// </summary>
/// <remarks>
/// <para>Lifecycle (control thread): construct, <see cref="SetOption"/>, register opcodes (<see cref="BeforeCompile"/>),
/// <see cref="CompileCsd"/> or <see cref="CompileCsdText"/>, <see cref="Start"/>; then one thread, the performing
/// thread, calls <see cref="Process"/> for each block of any size; finally <see cref="Dispose"/> once that thread
/// has stopped.</para>
/// <para>The engine is split by concern: this file is the native lifecycle and the k-cycle;
/// <see cref="BlockAdapter"/> turns blocks into k-cycles, <see cref="ActionScheduler"/> holds timed actions,
/// <see cref="ChannelTable"/> the control channels, <see cref="HostMidiInput"/> Csound's own MIDI input,
/// <see cref="BlockClock"/> where frames are in time, and <c>Engine.Messages.cs</c> routes Csound's messages.
/// Every member says which thread may call it; "performing thread" is the one that calls <see cref="Process"/>.</para>
/// <para><see cref="Process"/> is real-time safe: it allocates nothing, takes no lock another thread holds, and does no
/// I/O. Other threads talk to it through <see cref="Enqueue"/> (a bounded lock-free queue) and read
/// <see cref="Messages"/>.</para>
/// <para>Output is normalised float (Csound's spout divided by 0dbfs), interleaved, <see cref="OutputChannels"/> wide.</para>
/// </remarks>
public sealed unsafe partial class Engine : IDisposable
{
    /// <summary>Largest block one <see cref="Process"/> call handles in one go; bigger ones are split.</summary>
    public const int MaxBlockFrames = 8192;

    private static int initialized;

    private readonly GCHandle self;
    private readonly ChannelTable channels;
    // Structs used in place: their state sits in this object, which the audio thread touches anyway (ADR 0009).
    private ActionScheduler actions = new();
    private BlockClock clock;
    private BlockAdapter blocks;
    private HostMidiInput? hostMidi;
    private nint csound;
    private long framesPerformed;
    private long performTicks;
    private bool timePerform;
    private volatile bool finished;
    private bool compiledOnce;

    /// <summary>Creates a Csound instance with host-implemented audio. Throws if libcsound cannot be loaded. Control thread.</summary>
    public Engine()
    {
        if (Interlocked.Exchange(ref initialized, 1) == 0)
        {
            csoundInitialize(CSOUNDINIT_NO_SIGNAL_HANDLER | CSOUNDINIT_NO_ATEXIT);
            // csoundCreate loads plugins and may print before our per-instance callback is set: route that too.
            if (!OperatingSystem.IsWindows()) csoundSetDefaultMessageCallback(&OnDefaultMessage);
        }
        self = GCHandle.Alloc(this);
        csound = csoundCreate(GCHandle.ToIntPtr(self));
        if (csound == 0) throw new CsoundException("csoundCreate failed");
        channels = new ChannelTable(csound);
        csoundSetMessageStringCallback(csound, &OnMessage);
        csoundSetHostImplementedAudioIO(csound, 1, 0);
        csoundSetOption(csound, "-d"); // no graphical displays: they would print tables to the log
    }

    /// <summary>Csound's and Python's messages: any thread writes, one control thread drains.</summary>
    public MessageLog Messages { get; } = new();

    /// <summary>Called once, just before the first compile: where opcode libraries register into Csound. Control thread.</summary>
    public event Action<Engine>? BeforeCompile;

    /// <summary>
    /// Apply <see cref="TimedActionKind.Custom"/> actions, each by the handler its <see cref="TimedAction.Handler"/>
    /// names: handlers are added on a control thread and applied on the performing thread.
    /// </summary>
    public KBoundaryHandlers CustomActions { get; } = new();

    /// <summary>Set by <see cref="Start"/>; read from any thread after.</summary>
    public bool Started { get; private set; }

    /// <summary>True once Csound reported the end of the score (or an error) from a k-cycle. Performing thread writes; any thread reads.</summary>
    public bool Finished => finished;

    // Set by Start (control thread) before the performing thread begins; read-only after, from any thread.
    public double SampleRate { get; private set; }
    public int Ksmps { get; private set; }
    public int OutputChannels { get; private set; }
    public int InputChannels { get; private set; }

    /// <summary>
    /// Channels of live audio input the orchestra asked for: nchnls_i when its options name a real-time input
    /// (<c>-iadc</c>, <c>-i adc</c>, <c>--input=adc:...</c>), 0 otherwise. Csound reads no device without it, and
    /// neither do we: no input ports, no capture connections, no input work on the audio thread. Set by Start.
    /// </summary>
    public int AudioInputChannels { get; private set; }
    public double ZeroDbfs { get; private set; }

    /// <summary>
    /// Frames performed so far (whole k-cycles), i.e. the frame at which the next k-cycle starts. The performing
    /// thread writes it; any thread may read it (an atomic 8-byte read, at most one k-cycle stale).
    /// </summary>
    public long FramesPerformed => Volatile.Read(ref framesPerformed);

    /// <summary>
    /// The absolute frame of the next sample <see cref="Process"/> hands out: between calls, the first frame of the
    /// coming block. Performing thread only (it changes inside every block).
    /// </summary>
    public long OutputFrame => Started ? framesPerformed - blocks.FramesLeftInKCycle : 0;

    /// <summary>
    /// The frame the engine is producing at the <see cref="Stopwatch"/> time <paramref name="timestamp"/>: from the
    /// start of the latest block and its time; before any block, the next k-cycle's frame. Any thread.
    /// </summary>
    public long FrameAt(long timestamp) =>
        clock.TryFrameAt(timestamp, SampleRate, out var frame) ? Math.Max(frame, 0) : FramesPerformed;

    /// <summary>
    /// <see cref="Stopwatch"/> ticks spent inside csoundPerformKsmps while <see cref="TimePerform"/> was on (the
    /// orchestra's own cost), so that a host can tell its overhead from Csound's work. Performing thread writes; any reads.
    /// </summary>
    public long PerformTicks => Interlocked.Read(ref performTicks);

    /// <summary>
    /// Whether each k-cycle is timed into <see cref="PerformTicks"/>: two clock reads a k-cycle that only a benchmark
    /// needs. Any thread; takes effect at the next k-cycle.
    /// </summary>
    public bool TimePerform
    {
        get => Volatile.Read(ref timePerform);
        set => Volatile.Write(ref timePerform, value);
    }

    /// <summary>Actions lost because their queue or the pending heap was full, of every kind. Any thread.</summary>
    public long DroppedActions => actions.Dropped;

    /// <summary>Actions for now (frame 0) lost: their own queue of <see cref="ActionScheduler.NowCapacity"/> was full. Any thread.</summary>
    public long DroppedNow => actions.DroppedNow;

    /// <summary>Timed actions lost: their queue or the heap was full. Any thread.</summary>
    public long DroppedTimed => actions.DroppedTimed;

    /// <summary>Actions more than a second ahead lost: <see cref="ActionScheduler.FarCapacity"/> of them were waiting. Any thread.</summary>
    public long DroppedFar => actions.DroppedFar;

    /// <summary>Actions the engine can take now without dropping any, for now or timed. Any thread (a snapshot).</summary>
    public int ActionRoom => actions.Room;

    /// <summary>Sets a Csound command-line option. Control thread, before <see cref="Start"/>.</summary>
    public void SetOption(string option)
    {
        ThrowIfDisposed();
        if (csoundSetOption(csound, option) != 0) throw new CsoundException($"Csound rejected the option '{option}'");
    }

    /// <summary>Compiles a .csd file (its &lt;CsOptions&gt; apply; options set afterwards override them). Control thread.</summary>
    public void CompileCsd(string path)
    {
        if (!File.Exists(path)) throw new CsoundException($"no such file: {path}");
        RunBeforeCompile();
        if (csoundCompileCsd(csound, path) != 0)
            throw new CsoundException($"{path}: Csound could not compile it (its messages above say where)");
    }

    /// <summary>Compiles CSD text. <paramref name="origin"/> names it in error messages. Control thread.</summary>
    public void CompileCsdText(string text, string origin = "<csd>")
    {
        RunBeforeCompile();
        if (csoundCompileCsdText(csound, text) != 0)
            throw new CsoundException($"{origin}: Csound could not compile it (its messages above say where)");
    }

    /// <summary>
    /// Compiles orchestra code into the engine (new instruments), before or between performances' k-cycles, and
    /// starts <paramref name="scoreLine"/> if given (a line event, not recorded in the show log). Control thread.
    /// </summary>
    public void CompileOrchestra(string code, string origin, string? scoreLine = null)
    {
        ThrowIfDisposed();
        if (csoundCompileOrc(csound, code) != 0) throw new CsoundException($"{origin}: Csound could not compile it (its messages above say where)");
        if (scoreLine is not null) csoundInputMessage(csound, scoreLine);
    }

    /// <summary>Starts the performance (instr 0 runs). Control thread, once, after compiling.</summary>
    public void Start()
    {
        ThrowIfDisposed();
        if (csoundStart(csound) != 0) throw new CsoundException("Csound could not start the performance (see its messages)");
        SampleRate = csoundGetSr(csound);
        Ksmps = (int)csoundGetKsmps(csound);
        OutputChannels = (int)csoundGetNchnls(csound);
        InputChannels = (int)csoundGetNchnlsInput(csound);
        var inputName = Marshal.PtrToStringUTF8((nint)csoundGetInputName(csound));
        AudioInputChannels = inputName is not null && inputName.StartsWith("adc", StringComparison.Ordinal) ? InputChannels : 0;
        ZeroDbfs = csoundGet0dBFS(csound);
        blocks = new BlockAdapter(this, csoundGetSpout(csound), csoundGetSpin(csound));
        actions.FarFrames = (long)SampleRate; // "far future": more than a second ahead
        Started = true;
    }

    /// <summary>
    /// Returns the slot of a control channel (created if needed) for <see cref="TimedAction.ChannelWrite"/> and
    /// <see cref="ReadChannel"/>. Control threads only; call once per name, then use the slot.
    /// </summary>
    public int ChannelSlot(string name) => channels.Slot(name);

    /// <summary>Reads a control channel through its pointer (a plain double read; tearing-free on 64-bit). Any thread.</summary>
    public double ReadChannel(int slot) => channels.Read(slot);

    /// <summary>Writes a control channel through its pointer. Performing thread (k-boundary handlers).</summary>
    internal void WriteChannel(int slot, double value)
    {
        channels.Write(slot, value);
        Applied?.Channel(slot, value);
    }

    /// <summary>
    /// Writes a control channel the host itself keeps (the beat clock's), not recorded in the show log: a replay
    /// computes it again. Performing thread.
    /// </summary>
    internal void WriteHostChannel(int slot, double value) => channels.Write(slot, value);

    /// <summary>
    /// Told of each k-cycle just before it is performed (the beat clock). Set on the control thread before the
    /// performance starts; null for none.
    /// </summary>
    public IKCycleObserver? KCycleObserver { get; set; }

    /// <summary>
    /// Where what the performing thread applies is recorded for the show log (<see cref="AppliedLog"/>); null
    /// when nothing is logged. Set on the control thread before the performance starts.
    /// </summary>
    public AppliedLog? Applied { get; set; }

    /// <summary>A channel's name from its slot (<see cref="ChannelSlot"/>). Control threads.</summary>
    public string ChannelName(int slot) => channels.Name(slot);

    /// <summary>
    /// Queues an action for the performing thread: frame 0 for the next k-cycle, else at its frame. Any thread; false
    /// (and counted) if its queue is full. Actions for now and timed ones have separate capacities (see
    /// <see cref="ActionScheduler"/>), so a flood of one kind never starves the other.
    /// </summary>
    public bool Enqueue(in TimedAction action) => actions.TryEnqueue(action);

    /// <summary>
    /// Schedules a follow-up from inside a k-boundary handler (performing thread only), at a frame of a later k-cycle:
    /// straight into the heap, never behind a queue other threads fill.
    /// </summary>
    internal bool ScheduleFromPerformingThread(in TimedAction action) => actions.TryScheduleFromPerformingThread(action);

    /// <summary>
    /// Fills <paramref name="output"/> (frames x <see cref="OutputChannels"/>, normalised float) from Csound,
    /// performing k-cycles as needed, after taking <paramref name="input"/> (frames x <see cref="InputChannels"/>,
    /// or empty). Returns the frames produced: fewer than asked only once the score has ended, and the rest is
    /// silence. Real-time safe. Performing thread only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    public int Process(Span<float> output, ReadOnlySpan<float> input, int frames)
    {
        if (!Started) throw new InvalidOperationException("Start the engine before processing");
        clock.Mark(OutputFrame, Stopwatch.GetTimestamp());
        return blocks.Process(output, input, frames);
    }

    /// <summary>Performs exactly one k-cycle; false when the score has ended. Performing thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    internal bool PerformKCycle()
    {
        if (actions.HasWork) actions.ApplyDue(framesPerformed + Ksmps, this);
        KCycleObserver?.BeforeKCycle(framesPerformed);
        if (InputChannels > 0) blocks.PullInput();
        int result;
        if (Volatile.Read(ref timePerform))
        {
            var started = Stopwatch.GetTimestamp();
            result = csoundPerformKsmps(csound);
            Volatile.Write(ref performTicks, performTicks + (Stopwatch.GetTimestamp() - started));
        }
        else
        {
            result = csoundPerformKsmps(csound);
        }
        if (result != 0)
        {
            finished = true;
            return false;
        }
        Volatile.Write(ref framesPerformed, framesPerformed + Ksmps);
        blocks.KCyclePerformed();
        return true;
    }

    /// <summary>Applies one due action, before the k-cycle's instruments. Performing thread (from <see cref="ActionScheduler"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    internal void Apply(in TimedAction a)
    {
        switch (a.Kind)
        {
            case TimedActionKind.ScoreEvent:
                var fields = a.P; // a stack copy: the queue's storage may move
                // logged as given, at its own frame (a replay places it there again, the same way)
                Applied?.Event(a.EventType, ((ReadOnlySpan<double>)fields)[..a.Count], Math.Max(a.Frame, framesPerformed));
                if (SampleAccurate && a.EventType == 'i' && a.Count >= 3) ScoreEventOnItsFrame(a.Frame, ref fields, a.Count);
                else csoundScoreEvent(csound, a.EventType, (double*)&fields, new CLong(a.Count));
                break;
            case TimedActionKind.ChannelWrite:
                WriteChannel(a.ChannelSlot, a.Value);
                break;
            case TimedActionKind.KillInstance:
                TurnOff(a.Value);
                break;
            case TimedActionKind.Custom:
                CustomActions.Apply(in a);
                break;
        }
    }

    /// <summary>
    /// Whether events start on their own frame inside a k-cycle (Csound's <c>--sample-accurate</c>, set with
    /// <see cref="EnableSampleAccurate"/>): live play, so that every timed input sounds where it was stamped.
    /// </summary>
    public bool SampleAccurate { get; private set; }

    /// <summary>
    /// Frames added to an input stamped inside a period (<see cref="Inputs.ActionSink.AtOffset"/>). When ksmps does
    /// not divide the period, up to ksmps - 1 frames of the period are computed in the one before (the k-cycle that
    /// straddles them): a frame there can no longer start an event. Delaying every input by ksmps - 1 keeps each on
    /// its frame, at a latency still constant. 0 when ksmps divides the period. Set with
    /// <see cref="SetPeriod"/>; read on the performing thread.
    /// </summary>
    public int InputDelayFrames { get; private set; }

    /// <summary>The backend's period, to set <see cref="InputDelayFrames"/>. Control thread, before the audio starts.</summary>
    public void SetPeriod(int frames)
    {
        PeriodFrames = frames;
        InputDelayFrames = SampleAccurate && frames % Ksmps != 0 ? Ksmps - 1 : 0;
    }

    /// <summary>The backend's period, as <see cref="SetPeriod"/> was told (0 before).</summary>
    public int PeriodFrames { get; private set; }

    /// <summary>Turns Csound's sample-accurate mode on. Control thread, after compiling, before <see cref="Start"/>.</summary>
    public void EnableSampleAccurate()
    {
        SetOption("--sample-accurate");
        SampleAccurate = true;
    }

    /// <summary>
    /// A note event that starts at <paramref name="frame"/> (inside the k-cycle about to run, or "now"), in
    /// sample-accurate mode. Csound (6.18, musmon.c) places a realtime event in the k-cycle <c>llrint(start * kr)</c>:
    /// rounded to the nearest, so an event in the second half of a k-cycle waited for the next one, and then started
    /// at its offset in that one, a k-cycle late. insert.c takes the offset as <c>(int64)(p2 * sr) % ksmps</c>:
    /// truncated, so a start a hair under its frame lands a frame early. Hence p2 = offset + 1/4 sample (never under
    /// its frame, never into the next), and the call made with the thread's rounding mode set downward, so that
    /// <c>llrint</c> floors: the k-cycle that holds the frame. Performing thread; no allocation.
    /// </summary>
    private void ScoreEventOnItsFrame(long frame, ref PFields fields, short count)
    {
        var offset = frame > framesPerformed ? frame - framesPerformed : 0;
        fields[1] += (offset + 0.25) / SampleRate;
        var mode = FloatRounding.EnterDownward();
        fixed (double* p = &fields[0]) csoundScoreEvent(csound, (byte)'i', p, new CLong(count));
        FloatRounding.Restore(mode);
    }

    /// <summary>
    /// Turns off every instance of <paramref name="instrument"/> (a fractional number: that instance), letting
    /// release segments play. Performing thread, at a k-boundary (k-boundary handlers such as the show's panic).
    /// </summary>
    internal void TurnOff(double instrument)
    {
        csoundKillInstance(csound, instrument, null, instrument % 1 != 0 ? 4 : 0, 1);
        Applied?.TurnOff(instrument);
    }

    /// <summary>
    /// Registers an opcode (csoundAppendOpcode). Csound keeps the string pointers without copying them: they must live
    /// as long as the process. Control thread, before the first compile (from a <see cref="BeforeCompile"/> handler).
    /// </summary>
    internal void AppendOpcode(byte* name, int size, int thread, byte* outTypes, byte* inTypes,
        delegate* unmanaged<nint, nint, int> init, delegate* unmanaged<nint, nint, int> perf)
    {
        ThrowIfDisposed();
        if (csoundAppendOpcodeExport(csound, name, size, 0, thread, outTypes, inTypes, init, perf, null) != 0)
            throw new CsoundException($"Csound refused to register the opcode {Marshal.PtrToStringUTF8((nint)name)}");
    }

    /// <summary>The engine that owns a CSOUND* (from Csound's host data), for callbacks Csound makes; null if none.</summary>
    internal static Engine? FromNative(nint cs)
    {
        var host = cs == 0 ? 0 : csoundGetHostData(cs);
        return host == 0 ? null : GCHandle.FromIntPtr(host).Target as Engine;
    }

    private void RunBeforeCompile()
    {
        ThrowIfDisposed();
        if (compiledOnce) return;
        compiledOnce = true;
        BeforeCompile?.Invoke(this);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(csound == 0, this);

    /// <summary>Destroys the Csound instance. Control thread, only once the performing thread has stopped calling <see cref="Process"/>.</summary>
    public void Dispose()
    {
        if (csound == 0) return;
        csoundDestroy(csound);
        csound = 0;
        if (self.IsAllocated) self.Free();
    }
}
