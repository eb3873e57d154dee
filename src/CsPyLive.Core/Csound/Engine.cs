using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CsPyLive.Realtime;
using static CsPyLive.Csound.Interop.Csound;

namespace CsPyLive.Csound;

/// <summary>
/// One Csound instance driven k-cycle by k-cycle by the host, with the samples in the host's hands.
/// </summary>
/// <remarks>
/// <para>Lifecycle (control thread): construct, <see cref="SetOption"/>, register opcodes (<see cref="BeforeCompile"/>),
/// <see cref="CompileCsd"/> or <see cref="CompileCsdText"/>, <see cref="Start"/>; then one thread, the performing
/// thread, calls <see cref="Process"/> for each block of any size; finally <see cref="Dispose"/> once that thread
/// has stopped.</para>
/// <para><see cref="Process"/> is real-time safe: it allocates nothing, takes no lock another thread holds, and does no
/// I/O. Other threads talk to it through <see cref="Enqueue"/> (a bounded lock-free queue) and read
/// <see cref="Messages"/>.</para>
/// <para>Output is normalised float (Csound's spout divided by 0dbfs), interleaved, <see cref="OutputChannels"/> wide.
/// Blocks need not be multiples of ksmps: the part of a k-cycle not yet handed out is carried to the next block.
/// Input goes the other way with a constant delay of ksmps frames when blocks and k-cycles do not line up.</para>
/// </remarks>
public sealed unsafe class Engine : IDisposable
{
    /// <summary>Largest block one <see cref="Process"/> call handles in one go; bigger ones are split.</summary>
    public const int MaxBlockFrames = 8192;
    private const int ChannelSlots = 8192; // MIDI alone makes 16 x 131 channels
    private const int PendingCapacity = 4096;

    private static int initialized;

    private readonly GCHandle self;
    private readonly BoundedQueue<TimedAction> actions = new(4096);
    private readonly PendingAction[] pending = new PendingAction[PendingCapacity];
    private readonly nint[] channelPointers = new nint[ChannelSlots];
    private readonly Dictionary<string, int> channelSlots = new(StringComparer.Ordinal);
    private nint csound;
    private int pendingCount;
    private long pendingSequence;
    private double* spout;
    private double* spin;
    private int spoutFrame;          // frames of the current k-cycle already handed out; == Ksmps when used up
    private float[] inputFifo = [];
    private int inputFifoStart;      // first frame not yet handed to Csound
    private int inputFifoFrames;     // frames held from inputFifoStart on
    private bool inputPrimed;
    private bool spinSilent;         // spin holds zeros and nothing was pulled since
    private long droppedActions;
    private long performTicks;
    private bool timePerform;

    /// <summary>Creates a Csound instance with host-implemented audio. Throws if libcsound cannot be loaded.</summary>
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
        csoundSetMessageStringCallback(csound, &OnMessage);
        csoundSetHostImplementedAudioIO(csound, 1, 0);
        csoundSetOption(csound, "-d"); // no graphical displays: they would print tables to the log
    }

    /// <summary>Csound's and Python's messages, to be drained by a control thread.</summary>
    public MessageLog Messages { get; } = new();

    /// <summary>The raw CSOUND*, for bindings that register into this instance (the Python opcodes).</summary>
    internal nint Handle => csound;

    /// <summary>Called once, just before the first compile: where opcode libraries register into Csound.</summary>
    public event Action<Engine>? BeforeCompile;

    /// <summary>Apply <see cref="TimedActionKind.Custom"/> actions, each by the handler its <see cref="TimedAction.Handler"/> names.</summary>
    public KBoundaryHandlers CustomActions { get; } = new();

    public bool Started { get; private set; }

    /// <summary>True once Csound reported the end of the score (or an error) from a k-cycle.</summary>
    public bool Finished { get; private set; }

    public double SampleRate { get; private set; }
    public int Ksmps { get; private set; }
    public int OutputChannels { get; private set; }
    public int InputChannels { get; private set; }

    /// <summary>
    /// Channels of live audio input the orchestra asked for: nchnls_i when its options name a real-time input
    /// (<c>-iadc</c>, <c>-i adc</c>, <c>--input=adc:...</c>), 0 otherwise. Csound reads no device without it, and
    /// neither do we: no input ports, no capture connections, no input work on the audio thread.
    /// </summary>
    public int AudioInputChannels { get; private set; }
    public double ZeroDbfs { get; private set; }

    /// <summary>Frames performed so far (whole k-cycles), i.e. the frame at which the next k-cycle starts.</summary>
    public long FramesPerformed { get; private set; }

    /// <summary>
    /// The absolute frame of the next sample <see cref="Process"/> hands out: on the performing thread, between
    /// calls, the first frame of the coming block. Timed input (MIDI) uses it so an event at offset t of a period
    /// applies at frame <c>OutputFrame + t</c>: a constant latency, whatever the period and ksmps.
    /// </summary>
    public long OutputFrame => Started ? FramesPerformed - (Ksmps - spoutFrame) : 0;

    /// <summary>
    /// <see cref="Stopwatch"/> ticks spent inside csoundPerformKsmps while <see cref="TimePerform"/> was on (the
    /// orchestra's own cost), so that a host can tell its overhead from Csound's work. Performing thread writes.
    /// </summary>
    public long PerformTicks => Interlocked.Read(ref performTicks);

    /// <summary>
    /// Whether each k-cycle is timed into <see cref="PerformTicks"/>: two clock reads a k-cycle that only a benchmark
    /// needs (toggled in alternating blocks on JACK they cost about 1 us a period at 256 frames, the size of the noise).
    /// Any thread; takes effect at the next k-cycle.
    /// </summary>
    public bool TimePerform
    {
        get => Volatile.Read(ref timePerform);
        set => Volatile.Write(ref timePerform, value);
    }

    /// <summary>Actions lost because the queue or the pending heap was full.</summary>
    public long DroppedActions => Interlocked.Read(ref droppedActions);

    private bool compiledOnce;

    public void SetOption(string option)
    {
        ThrowIfDisposed();
        if (csoundSetOption(csound, option) != 0) throw new CsoundException($"Csound rejected the option '{option}'");
    }

    /// <summary>Compiles a .csd file (its &lt;CsOptions&gt; apply; options set afterwards override them).</summary>
    public void CompileCsd(string path)
    {
        if (!File.Exists(path)) throw new CsoundException($"no such file: {path}");
        RunBeforeCompile();
        if (csoundCompileCsd(csound, path) != 0)
            throw new CsoundException($"{path}: Csound could not compile it (its messages above say where)");
    }

    /// <summary>Compiles CSD text. <paramref name="origin"/> names it in error messages.</summary>
    public void CompileCsdText(string text, string origin = "<csd>")
    {
        RunBeforeCompile();
        if (csoundCompileCsdText(csound, text) != 0)
            throw new CsoundException($"{origin}: Csound could not compile it (its messages above say where)");
    }

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
        spout = csoundGetSpout(csound);
        spin = csoundGetSpin(csound);
        spoutFrame = Ksmps;
        inputFifo = new float[(MaxBlockFrames + 2 * Ksmps) * Math.Max(1, InputChannels)];
        Started = true;
    }

    /// <summary>
    /// Returns the slot of a control channel (created if needed) for <see cref="TimedAction.ChannelWrite"/> and
    /// <see cref="ReadChannel"/>. Control threads only; call once per name, then use the slot.
    /// </summary>
    public int ChannelSlot(string name)
    {
        lock (channelSlots)
        {
            if (channelSlots.TryGetValue(name, out var slot)) return slot;
            if (channelSlots.Count == ChannelSlots) throw new InvalidOperationException($"more than {ChannelSlots} channels");
            double* p;
            if (csoundGetChannelPtr(csound, &p, name, CSOUND_CONTROL_CHANNEL | CSOUND_INPUT_CHANNEL | CSOUND_OUTPUT_CHANNEL) != 0)
                throw new CsoundException($"channel '{name}' exists with another type");
            slot = channelSlots.Count;
            Volatile.Write(ref channelPointers[slot], (nint)p);
            channelSlots[name] = slot;
            return slot;
        }
    }

    /// <summary>Reads a control channel through its pointer (a plain double read; tearing-free on 64-bit).</summary>
    public double ReadChannel(int slot) => *(double*)Volatile.Read(ref channelPointers[slot]);

    /// <summary>Writes a control channel through its pointer; for k-boundary handlers on the performing thread.</summary>
    internal void WriteChannel(int slot, double value) => *(double*)channelPointers[slot] = value;

    /// <summary>Queues an action for the performing thread. Any thread; false (and counted) if the queue is full.</summary>
    public bool Enqueue(in TimedAction action)
    {
        if (actions.TryEnqueue(action)) return true;
        Interlocked.Increment(ref droppedActions);
        return false;
    }

    /// <summary>
    /// Fills <paramref name="output"/> (frames x <see cref="OutputChannels"/>, normalised float) from Csound,
    /// performing k-cycles as needed, after taking <paramref name="input"/> (frames x <see cref="InputChannels"/>,
    /// or empty). Returns the frames produced: fewer than asked only once the score has ended, and the rest is
    /// silence. Real-time safe; call from one thread only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    public int Process(Span<float> output, ReadOnlySpan<float> input, int frames)
    {
        var done = 0;
        while (done < frames)
        {
            var n = Math.Min(frames - done, MaxBlockFrames);
            var outSlice = output.Slice(done * OutputChannels, n * OutputChannels);
            var inSlice = input.IsEmpty ? input : input.Slice(done * InputChannels, n * InputChannels);
            var produced = ProcessBlock(outSlice, inSlice, n);
            done += produced;
            if (produced < n)
            {
                output[(done * OutputChannels)..(frames * OutputChannels)].Clear();
                break;
            }
        }
        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    private int ProcessBlock(Span<float> output, ReadOnlySpan<float> input, int frames)
    {
        if (!Started) throw new InvalidOperationException("Start the engine before processing");
        PushInput(input, frames);
        var produced = 0;
        var channels = OutputChannels;
        var scale = 1.0 / ZeroDbfs;
        while (produced < frames)
        {
            if (spoutFrame == Ksmps)
            {
                if (Finished || !PerformKCycle()) break;
            }
            var n = Math.Min(frames - produced, Ksmps - spoutFrame);
            var src = new ReadOnlySpan<double>(spout + spoutFrame * channels, n * channels);
            var dst = output.Slice(produced * channels, n * channels);
            for (var i = 0; i < src.Length; i++) dst[i] = (float)(src[i] * scale);
            spoutFrame += n;
            produced += n;
        }
        return produced;
    }

    /// <summary>Performs exactly one k-cycle; false when the score has ended. For render loops that want raw spout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    internal bool PerformKCycle()
    {
        if (pendingCount > 0 || !actions.IsEmpty) ApplyDueActions(FramesPerformed + Ksmps);
        if (InputChannels > 0) PullInput();
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
            Finished = true;
            return false;
        }
        FramesPerformed += Ksmps;
        spoutFrame = 0;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    private void PushInput(ReadOnlySpan<float> input, int frames)
    {
        if (InputChannels == 0) return;
        var channels = InputChannels;
        if (!inputPrimed)
        {
            // Blocks that do not line up with k-cycles need one k-cycle of input in hand: a constant delay.
            inputFifoFrames = frames % Ksmps == 0 ? 0 : Ksmps;
            inputFifo.AsSpan(0, inputFifoFrames * channels).Clear();
            inputPrimed = true;
        }
        if (input.IsEmpty && inputFifoFrames == 0) return; // no input device: PullInput keeps spin at zero
        var capacity = inputFifo.Length / channels;
        if (inputFifoStart + inputFifoFrames + frames > capacity)
        {
            // Move the few frames still held to the front: once per block at most, instead of once per k-cycle.
            inputFifo.AsSpan(inputFifoStart * channels, inputFifoFrames * channels).CopyTo(inputFifo);
            inputFifoStart = 0;
        }
        var n = Math.Min(frames, capacity - inputFifoStart - inputFifoFrames);
        var dst = inputFifo.AsSpan((inputFifoStart + inputFifoFrames) * channels, n * channels);
        if (input.IsEmpty) dst.Clear();
        else input[..(n * channels)].CopyTo(dst);
        inputFifoFrames += n;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    private void PullInput()
    {
        if (InputChannels == 0) return;
        var channels = InputChannels;
        var n = Math.Min(Ksmps, inputFifoFrames);
        if (n == 0)
        {
            // Silence: clear spin once, not every k-cycle (Csound never writes it). Saves touching cold memory.
            if (!spinSilent) new Span<double>(spin, Ksmps * channels).Clear();
            spinSilent = true;
            return;
        }
        spinSilent = false;
        var src = inputFifo.AsSpan(inputFifoStart * channels, n * channels);
        var dst = new Span<double>(spin, Ksmps * channels);
        var zeroDbfs = ZeroDbfs;
        for (var i = 0; i < src.Length; i++) dst[i] = src[i] * zeroDbfs;
        dst[src.Length..].Clear();
        inputFifoStart += n;
        inputFifoFrames -= n;
        if (inputFifoFrames == 0) inputFifoStart = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    private void ApplyDueActions(long endFrame)
    {
        while (actions.TryDequeue(out var a))
        {
            if (pendingCount == PendingCapacity)
            {
                Interlocked.Increment(ref droppedActions);
                continue;
            }
            HeapPush(new PendingAction(a, pendingSequence++));
        }
        while (pendingCount > 0 && pending[0].Action.Frame < endFrame)
        {
            var a = HeapPop().Action;
            Apply(in a);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised at first call: no tier-up mid-show
    private void Apply(in TimedAction a)
    {
        switch (a.Kind)
        {
            case TimedActionKind.ScoreEvent:
                var fields = a.P; // a stack copy: the queue's storage may move
                csoundScoreEvent(csound, a.EventType, (double*)&fields, new CLong(a.Count));
                break;
            case TimedActionKind.ChannelWrite:
                *(double*)channelPointers[a.ChannelSlot] = a.Value;
                break;
            case TimedActionKind.KillInstance:
                csoundKillInstance(csound, a.Value, null, a.Value % 1 != 0 ? 4 : 0, 1);
                break;
            case TimedActionKind.Custom:
                CustomActions.Apply(in a);
                break;
        }
    }

    private readonly record struct PendingAction(TimedAction Action, long Sequence)
    {
        public bool Before(in PendingAction other) =>
            Action.Frame < other.Action.Frame || (Action.Frame == other.Action.Frame && Sequence < other.Sequence);
    }

    private void HeapPush(PendingAction item)
    {
        var i = pendingCount++;
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!item.Before(pending[parent])) break;
            pending[i] = pending[parent];
            i = parent;
        }
        pending[i] = item;
    }

    private PendingAction HeapPop()
    {
        var top = pending[0];
        var last = pending[--pendingCount];
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= pendingCount) break;
            if (child + 1 < pendingCount && pending[child + 1].Before(pending[child])) child++;
            if (!pending[child].Before(last)) break;
            pending[i] = pending[child];
            i = child;
        }
        pending[i] = last;
        return top;
    }

    private void RunBeforeCompile()
    {
        ThrowIfDisposed();
        if (compiledOnce) return;
        compiledOnce = true;
        BeforeCompile?.Invoke(this);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(csound == 0, this);

    [UnmanagedCallersOnly]
    private static void OnDefaultMessage(nint cs, int attr, byte* format, nint args)
    {
        try
        {
            var buffer = stackalloc byte[1024];
            var n = vsnprintf(buffer, 1024, format, args);
            if (n < 0) return;
            buffer[Math.Min(n, 1023)] = 0;
            Route(cs, attr, buffer);
        }
        catch
        {
            // Nothing may cross back into C.
        }
    }

    [UnmanagedCallersOnly]
    private static void OnMessage(nint cs, int attr, byte* text)
    {
        try
        {
            Route(cs, attr, text);
        }
        catch
        {
            // Nothing may cross back into C; a lost message is the lesser harm.
        }
    }

    private static void Route(nint cs, int attr, byte* text)
    {
        var host = cs == 0 ? 0 : csoundGetHostData(cs);
        if (host == 0 || GCHandle.FromIntPtr(host).Target is not Engine engine) return;
        var kind = (attr & CSOUNDMSG_TYPE_MASK) switch
        {
            CSOUNDMSG_ERROR => MessageKind.Error,
            CSOUNDMSG_WARNING => MessageKind.Warning,
            _ => MessageKind.Info,
        };
        engine.Messages.Write(kind, MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));
    }

    /// <summary>Destroys the Csound instance. Only once the performing thread has stopped calling <see cref="Process"/>.</summary>
    public void Dispose()
    {
        if (csound == 0) return;
        csoundDestroy(csound);
        csound = 0;
        if (self.IsAllocated) self.Free();
    }
}
