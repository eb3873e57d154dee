using CsPyLive.Audio;
using CsPyLive.Midi;

namespace CsPyLive.Sync;

/// <summary>
/// Follows a MIDI clock (24 ticks a quarter note, 0xF8) and its transport (start 0xFA, continue 0xFB, stop 0xFC,
/// song position 0xF2) from the JACK MIDI input, for <c>--sync midi</c>. The tempo is the slope of a least-squares
/// line through the frames of the last <see cref="Window"/> ticks (two beats), so a tick's jitter (USB MIDI, a
/// bridge's timer) moves it little; the beat is that line's, from the last tick on (ADR 0018).
/// </summary>
/// <remarks>
/// <para>Transport: start sets the next tick's beat to 0; continue resumes from the song position; stop holds the
/// beat. The beat moves only from the first tick after a start or continue (MIDI's rule: the tick is the downbeat).
/// A clock that runs without ever having sent start (we joined late) moves the beat from its first tick, at 0. Ticks
/// keep the tempo estimate alive while stopped, as most masters send them then too.</para>
/// <para>A tick off the line by more than half a tick (a jump in the master's tempo), or after a gap of more than
/// four ticks, starts the line again from that tick.</para>
/// <para>Threads: <see cref="Receive"/> (JACK's MIDI, before the period is processed) and <see cref="Locate"/> (the
/// same period, from <see cref="BeatClock.BeginPeriod"/>) on the audio thread: fixed arrays, no allocation. The
/// messages of a period are held (up to <see cref="PendingCapacity"/>) until <see cref="Locate"/> knows the period's
/// first engine frame. <see cref="Handle"/> is the same work for one message at a known frame (tests).</para>
/// </remarks>
public sealed class MidiClockFollower(double sampleRate) : IRawMidiReceiver, IBeatSource
{
    public const int TicksPerBeat = 24;
    public const int Window = 48;
    public const int PendingCapacity = 256;

    private enum TransportState : byte { Unknown, Playing, Stopped }

    private readonly MidiStreamParser parser = new();
    private readonly byte[] pendingStatus = new byte[PendingCapacity];
    private readonly int[] pendingValue = new int[PendingCapacity];
    private readonly int[] pendingOffset = new int[PendingCapacity];
    private int pending;
    private long overflowed;
    // The line: (tick number, frame) of the last ticks, a ring.
    private readonly long[] fitTicks = new long[Window];
    private readonly long[] fitFrames = new long[Window];
    private int fitCount;
    private int fitNext;
    private long tickNumber;
    private double framesPerTick;    // the line's slope; 0 until two ticks
    private double fittedLastFrame;  // the line at the last tick
    private long lastTickFrame = long.MinValue;
    // The transport.
    private TransportState transport;
    private bool moving;
    private double lastTickBeat;
    private double nextTickBeat;
    private double heldBeat;
    private long ticks;

    /// <summary>Clock ticks received. Any thread.</summary>
    public long Ticks => Volatile.Read(ref ticks);

    /// <summary>Messages lost because a period held more than <see cref="PendingCapacity"/>.</summary>
    public long Overflowed => Volatile.Read(ref overflowed);

    /// <summary>The estimated tempo in BPM, or 0 before two ticks. The audio thread's view (other threads: approximate).</summary>
    public double Tempo => framesPerTick > 0 ? 60.0 * sampleRate / (TicksPerBeat * framesPerTick) : 0;

    /// <summary>Bytes of one JACK MIDI event at <paramref name="frameOffset"/> in the period about to be processed.</summary>
    public void Receive(ReadOnlySpan<byte> bytes, int frameOffset)
    {
        foreach (var b in bytes)
        {
            if (!parser.Feed(b, out var m)) continue;
            var status = m.Status;
            if (status is not (0xF8 or 0xFA or 0xFB or 0xFC or 0xF2)) continue;
            if (pending == PendingCapacity) { overflowed++; continue; }
            pendingStatus[pending] = status;
            pendingValue[pending] = status == 0xF2 ? m.Data1 | (m.Data2 << 7) : 0;
            pendingOffset[pending] = frameOffset;
            pending++;
        }
    }

    /// <summary>Applies the period's messages at their frames, then says where the beat is at <paramref name="firstFrame"/>.</summary>
    public void Locate(long firstFrame, ref BeatPosition position)
    {
        for (var i = 0; i < pending; i++) Handle(pendingStatus[i], pendingValue[i], firstFrame + pendingOffset[i]);
        pending = 0;
        Position(firstFrame, ref position);
    }

    /// <summary>One clock or transport message at engine frame <paramref name="frame"/> (song position: <paramref name="value"/> 16ths).</summary>
    public void Handle(byte status, int value, long frame)
    {
        switch (status)
        {
            case 0xF8:
                Tick(frame);
                break;
            case 0xFA: // start: the next tick is beat 0
                transport = TransportState.Playing;
                moving = false;
                nextTickBeat = 0;
                heldBeat = 0;
                break;
            case 0xFB: // continue: from the song position
                transport = TransportState.Playing;
                moving = false;
                heldBeat = nextTickBeat;
                break;
            case 0xFC: // stop: hold where the last tick put us
                if (moving) heldBeat = lastTickBeat;
                transport = TransportState.Stopped;
                moving = false;
                break;
            case 0xF2: // song position, in 16ths (6 ticks each)
                nextTickBeat = value / 4.0;
                if (!moving) heldBeat = nextTickBeat;
                break;
        }
    }

    private void Tick(long frame)
    {
        Volatile.Write(ref ticks, ticks + 1);
        Fit(frame);
        if (transport == TransportState.Stopped) return;
        lastTickBeat = nextTickBeat;
        nextTickBeat += 1.0 / TicksPerBeat;
        moving = true;
    }

    /// <summary>Where the clock is at <paramref name="frame"/>: the line from the last tick, or the held beat.</summary>
    public void Position(long frame, ref BeatPosition position)
    {
        position.Playing = transport == TransportState.Playing || (transport == TransportState.Unknown && moving);
        if (framesPerTick > 0) position.Tempo = Tempo;
        if (!moving || framesPerTick <= 0)
        {
            position.Moving = false;
            position.Beat = moving ? lastTickBeat : heldBeat;
            return;
        }
        var beat = lastTickBeat + (frame - fittedLastFrame) / (framesPerTick * TicksPerBeat);
        // Never more than a tick past the last one: a clock that stops without a word does not run away with the beat.
        var limit = lastTickBeat + 1.0 / TicksPerBeat;
        position.Moving = beat < limit;
        position.Beat = Math.Min(beat, limit);
    }

    /// <summary>Adds a tick's frame to the line, or starts the line again at it.</summary>
    private void Fit(long frame)
    {
        tickNumber++;
        if (fitCount > 0)
        {
            var gap = frame - lastTickFrame;
            var predicted = framesPerTick > 0 ? fittedLastFrame + framesPerTick : 0;
            var slowest = sampleRate * 60 / (SyncConfig.MinTempo * TicksPerBeat); // a tick's frames at 20 BPM
            if (gap <= 0 || gap > slowest
                || (framesPerTick > 0 && (gap > 4 * framesPerTick || (fitCount >= 3 && Math.Abs(frame - predicted) > framesPerTick / 2))))
            {
                fitCount = 0;
                framesPerTick = 0;
            }
        }
        lastTickFrame = frame;
        fitTicks[fitNext] = tickNumber;
        fitFrames[fitNext] = frame;
        fitNext = (fitNext + 1) % Window;
        if (fitCount < Window) fitCount++;
        if (fitCount < 2)
        {
            fittedLastFrame = frame;
            return;
        }
        // Least squares, relative to the newest point (no loss of precision over hours).
        var newest = (fitNext + Window - 1) % Window;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < fitCount; i++)
        {
            var j = (newest - i + Window) % Window;
            double x = fitTicks[j] - tickNumber, y = fitFrames[j] - frame;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        var n = (double)fitCount;
        var d = n * sxx - sx * sx;
        if (d <= 0) return;
        var slope = (n * sxy - sx * sy) / d;
        if (slope <= 0) return;
        framesPerTick = slope;
        fittedLastFrame = frame + (sy - slope * sx) / n;
    }
}
