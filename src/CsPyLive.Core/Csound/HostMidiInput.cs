using CsPyLive.Realtime;

namespace CsPyLive.Csound;

/// <summary>
/// Csound's own MIDI input when the host implements it (<see cref="Engine.EnableHostMidiInput"/>): complete MIDI
/// messages, each with its engine frame, in a lock-free queue that Csound's read callback drains from inside
/// csoundPerformKsmps, handing over only the bytes due in that k-cycle.
/// </summary>
/// <remarks>
/// Threads: <see cref="TryQueue"/> from any thread (one at a time per source; allocation-free); <see cref="Read"/> on
/// the performing thread, inside Csound. A message is queued whole (status byte included), so Csound never sees
/// running status or a message split across k-cycles.
/// </remarks>
internal sealed unsafe class HostMidiInput
{
    private readonly BoundedQueue<TimedBytes> queue = new(4096);
    private TimedBytes held;
    private bool hasHeld;
    private long dropped;

    private struct TimedBytes
    {
        public long Frame;
        public int Length;
        public byte B0, B1, B2;
    }

    /// <summary>True once Csound opened the input (at <see cref="Engine.Start"/>).</summary>
    public bool Opened { get; set; }

    /// <summary>Messages lost because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Messages the queue can take now without dropping. Any thread (a snapshot).</summary>
    public int Room => queue.Capacity - queue.Count;

    /// <summary>Queues one message of 1 to 3 bytes for the k-cycle holding <paramref name="frame"/>.</summary>
    public bool TryQueue(ReadOnlySpan<byte> message, long frame)
    {
        if (message.IsEmpty || message.Length > 3) return false;
        var t = new TimedBytes
        {
            Frame = frame, Length = message.Length, B0 = message[0],
            B1 = message.Length > 1 ? message[1] : (byte)0, B2 = message.Length > 2 ? message[2] : (byte)0,
        };
        if (queue.TryEnqueue(t)) return true;
        Interlocked.Increment(ref dropped);
        return false;
    }

    /// <summary>Copies the bytes due before <paramref name="endFrame"/> into Csound's buffer; returns how many.</summary>
    public int Read(byte* buffer, int size, long endFrame)
    {
        var n = 0;
        while (hasHeld || queue.TryDequeue(out held))
        {
            hasHeld = true;
            if (held.Frame >= endFrame || n + held.Length > size) break;
            buffer[n++] = held.B0;
            if (held.Length > 1) buffer[n++] = held.B1;
            if (held.Length > 2) buffer[n++] = held.B2;
            hasHeld = false;
        }
        return n;
    }
}
