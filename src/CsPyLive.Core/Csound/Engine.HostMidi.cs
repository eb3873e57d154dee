using System.Runtime.InteropServices;
using static CsPyLive.Csound.Interop.Csound;

namespace CsPyLive.Csound;

/// <summary>Csound's own MIDI input, implemented by the host (massign, cpsmidi, veloc... see the notes played).</summary>
public sealed unsafe partial class Engine
{
    /// <summary>
    /// Turns on host-implemented MIDI input (<c>-M0</c>, our open/read/close callbacks): Csound's MIDI opcodes then
    /// receive what <see cref="SendMidi"/> queues. Control thread, after compiling and before <see cref="Start"/>.
    /// </summary>
    public void EnableHostMidiInput()
    {
        ThrowIfDisposed();
        if (Started) throw new InvalidOperationException("enable Csound's MIDI input before the engine starts");
        if (hostMidi is not null) return;
        hostMidi = new HostMidiInput();
        csoundSetHostImplementedMIDIIO(csound, 1);
        csoundSetExternalMidiInOpenCallback(csound, &OnMidiOpen);
        csoundSetExternalMidiReadCallback(csound, &OnMidiRead);
        csoundSetExternalMidiInCloseCallback(csound, &OnMidiClose);
        SetOption("-M0");
    }

    /// <summary>True once Csound opened the host MIDI input (at <see cref="Start"/>). Any thread.</summary>
    public bool HostMidiInputOpened => hostMidi?.Opened ?? false;

    /// <summary>MIDI messages lost because the host MIDI queue was full. Any thread.</summary>
    public long HostMidiDropped => hostMidi?.Dropped ?? 0;

    /// <summary>Messages the host MIDI queue can take now without dropping; 0 when not enabled. Any thread (a snapshot).</summary>
    public int HostMidiRoom => hostMidi?.Room ?? 0;

    /// <summary>
    /// Queues one complete MIDI message (status byte and 0 to 2 data bytes) for Csound's MIDI input, delivered in the
    /// k-cycle holding <paramref name="frame"/>. Any one thread at a time; allocation-free. False when full or not enabled.
    /// </summary>
    public bool SendMidi(ReadOnlySpan<byte> message, long frame) => hostMidi?.TryQueue(message, frame) ?? false;

    [UnmanagedCallersOnly]
    private static int OnMidiOpen(nint cs, nint* userData, byte* device)
    {
        try
        {
            if (FromNative(cs) is not { hostMidi: { } midi }) return -1;
            midi.Opened = true;
            *userData = cs;
            return 0;
        }
        catch
        {
            return -1;
        }
    }

    /// <summary>Inside csoundPerformKsmps (the performing thread): the bytes due before this k-cycle ends.</summary>
    [UnmanagedCallersOnly]
    private static int OnMidiRead(nint cs, nint userData, byte* buffer, int size)
    {
        try
        {
            if (FromNative(cs) is not { hostMidi: { } midi } engine) return 0;
            var n = midi.Read(buffer, size, engine.framesPerformed + engine.Ksmps);
            if (n > 0) engine.Applied?.Bytes(AppliedKind.Midi, 0, new ReadOnlySpan<byte>(buffer, n));
            return n;
        }
        catch
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly]
    private static int OnMidiClose(nint cs, nint userData) => 0;
}
