using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using CsPyLive.Csound;
using CsPyLive.Realtime;
using static CsPyLive.Csound.Interop.Csound;

namespace CsPyLive.Midi;

/// <summary>
/// Feeds MIDI into Csound's own MIDI system (host-implemented MIDI I/O), so orchestras written for <c>-M</c>
/// (massign, cpsmidi, veloc, midictrl, pgmassign...) work unchanged.
/// </summary>
/// <remarks>
/// <see cref="Attach"/> (control thread, before <see cref="Engine.Start"/>) turns on host-implemented MIDI, installs
/// the open/read/close callbacks and sets <c>-M0</c>. <see cref="Send"/> re-serialises each message with its full
/// status byte (so Csound never sees running status or realtime bytes in the middle of a message) into a lock-free
/// queue with its frame; Csound's read callback, called inside csoundPerformKsmps, hands over only the bytes due in
/// that k-cycle, so timing is k-cycle exact as with the note router. SysEx and realtime messages are not forwarded.
/// </remarks>
public sealed unsafe class CsoundMidiInput : IMidiDestination, IDisposable
{
    private static readonly ConcurrentDictionary<nint, CsoundMidiInput> Attached = new();

    private readonly Engine engine;
    private readonly BoundedQueue<TimedBytes> queue = new(4096);
    private GCHandle self;
    private TimedBytes held;
    private bool hasHeld;
    private long received;
    private long dropped;

    private struct TimedBytes
    {
        public long Frame;
        public int Length;
        public byte B0, B1, B2;
    }

    private CsoundMidiInput(Engine engine)
    {
        this.engine = engine;
        self = GCHandle.Alloc(this);
    }

    /// <summary>Routes <paramref name="engine"/>'s MIDI input to us. Before <see cref="Engine.Start"/>.</summary>
    public static CsoundMidiInput Attach(Engine engine)
    {
        if (engine.Started) throw new InvalidOperationException("attach Csound MIDI input before the engine starts");
        var input = new CsoundMidiInput(engine);
        Attached[engine.Handle] = input;
        csoundSetHostImplementedMIDIIO(engine.Handle, 1);
        csoundSetExternalMidiInOpenCallback(engine.Handle, &OnOpen);
        csoundSetExternalMidiReadCallback(engine.Handle, &OnRead);
        csoundSetExternalMidiInCloseCallback(engine.Handle, &OnClose);
        engine.SetOption("-M0");
        return input;
    }

    /// <summary>True once Csound opened our input (at <see cref="Engine.Start"/>).</summary>
    public bool Opened { get; private set; }

    public long Received => Interlocked.Read(ref received);

    /// <summary>Messages lost because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    public void Send(in MidiMessage message, long frame)
    {
        Interlocked.Increment(ref received);
        if (!message.IsChannelMessage && message.Kind != MidiMessageKind.SystemCommon) return;
        Span<byte> b = stackalloc byte[3];
        var n = message.WriteTo(b);
        if (n == 0) return;
        var t = new TimedBytes { Frame = frame, Length = n, B0 = b[0], B1 = n > 1 ? b[1] : (byte)0, B2 = n > 2 ? b[2] : (byte)0 };
        if (!queue.TryEnqueue(t)) Interlocked.Increment(ref dropped);
    }

    /// <summary>Sustain off, all notes off and all sound off on every channel, at the next k-cycle. Any thread.</summary>
    public void Panic()
    {
        for (var c = 0; c < MidiChannel.Count; c++)
        {
            var ch = MidiChannel.FromIndex(c);
            Send(MidiMessage.ControlChange(ch, 64, 0), 0);
            Send(MidiMessage.ControlChange(ch, 123, 0), 0);
            Send(MidiMessage.ControlChange(ch, 120, 0), 0);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnOpen(nint csound, nint* userData, byte* device)
    {
        try
        {
            if (!Attached.TryGetValue(csound, out var input)) return -1;
            input.Opened = true;
            *userData = GCHandle.ToIntPtr(input.self);
            return 0;
        }
        catch
        {
            return -1;
        }
    }

    /// <summary>Inside csoundPerformKsmps (the performing thread): the bytes due before this k-cycle ends.</summary>
    [UnmanagedCallersOnly]
    private static int OnRead(nint csound, nint userData, byte* buffer, int size)
    {
        try
        {
            return userData != 0 && GCHandle.FromIntPtr(userData).Target is CsoundMidiInput input ? input.Read(buffer, size) : 0;
        }
        catch
        {
            return 0;
        }
    }

    private int Read(byte* buffer, int size)
    {
        var end = engine.FramesPerformed + engine.Ksmps;
        var n = 0;
        while (hasHeld || queue.TryDequeue(out held))
        {
            hasHeld = true;
            if (held.Frame >= end || n + held.Length > size) break;
            buffer[n++] = held.B0;
            if (held.Length > 1) buffer[n++] = held.B1;
            if (held.Length > 2) buffer[n++] = held.B2;
            hasHeld = false;
        }
        return n;
    }

    [UnmanagedCallersOnly]
    private static int OnClose(nint csound, nint userData) => 0;

    /// <summary>After the engine is disposed.</summary>
    public void Dispose()
    {
        foreach (var (k, v) in Attached) if (v == this) Attached.TryRemove(k, out _);
        if (self.IsAllocated) self.Free();
    }
}
