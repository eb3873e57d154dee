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
public sealed class MidiClockFollower(double sampleRate, ICycleClock? cycleClock = null) : IRawMidiReceiver, IBeatSource
{
    public const int TicksPerBeat = 24;
    public const int Window = 48;

    /// <summary>Ticks a line needs after a jump before its own slope replaces the tempo held from before the jump.</summary>
    public const int MinFit = 12;

    /// <summary>How far off the line (ms) three ticks in a row must be to be a step rather than jitter.</summary>
    public const double StepMillis = 2;
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
    private bool holding; // a line started again after a jump, on the tempo from before, until it has MinFit ticks
    private int offSide;  // ticks in a row off the line by more than a step, on the same side (+ late, - early)
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
    /// <remarks>
    /// The ticks are timed by the device's own frame count when it has one (<see cref="ICycleClock"/>: JACK's frame
    /// time), not by the engine's frames: a period we lost (an xrun of ours) then moves neither the tempo nor the beat.
    /// </remarks>
    public void Locate(long firstFrame, ref BeatPosition position)
    {
        var cycleStart = cycleClock?.CycleFrames ?? firstFrame;
        for (var i = 0; i < pending; i++) Handle(pendingStatus[i], pendingValue[i], cycleStart + pendingOffset[i]);
        pending = 0;
        Position(cycleStart, ref position);
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

    /// <summary>
    /// The tick at <paramref name="frame"/> and the two before it are a step off the line: the line through the ticks
    /// before them, how far off those three are on average, and every older tick moved by that much.
    /// </summary>
    private void MoveOlderTicks(long frame)
    {
        var newest = (fitNext + Window - 1) % Window;
        var line = new LineFit();
        for (var i = 2; i < fitCount; i++)
        {
            var j = (newest - i + Window) % Window;
            line.Add(fitTicks[j] - tickNumber, fitFrames[j] - frame);
        }
        if (!line.TrySlope(out var slope)) return;
        var intercept = line.InterceptFor(slope); // the old line at this tick, relative to its frame
        var off = -intercept; // this tick: y = 0
        for (var i = 0; i < 2; i++)
        {
            var j = (newest - i + Window) % Window;
            off += fitFrames[j] - frame - (intercept + slope * (fitTicks[j] - tickNumber));
        }
        var shift = (long)Math.Round(off / 3);
        for (var i = 2; i < fitCount; i++) fitFrames[(newest - i + Window) % Window] += shift;
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
            if (gap <= 0 || gap > slowest)
            {
                fitCount = 0;
                framesPerTick = 0; // a new clock, or one back after a long silence: nothing to keep
            }
            else if (framesPerTick > 0 && (gap > 4 * framesPerTick || (!holding && fitCount >= 3 && Math.Abs(frame - predicted) > framesPerTick / 4)))
            {
                // A jump (the master changed tempo at once, or lost a long stretch): a new line, the tempo kept until it
                // has MinFit ticks (unless the old line was too short to be trusted).
                holding = fitCount >= MinFit;
                if (!holding) framesPerTick = 0;
                fitCount = 0;
                offSide = 0;
            }
            else if (framesPerTick > 0 && fitCount >= 5)
            {
                // A smaller step (the master lost a period of 64-256 frames): three ticks in a row off the line by more
                // than StepMillis on one side. One tick that far off is jitter and stays in the line; three are a step,
                // which would bend the line's slope for a whole window (0.5 % for 256 frames at 87 BPM). The older
                // ticks are moved by the step, so the line keeps its slope and its length.
                var deviation = frame - predicted;
                var step = Math.Min(framesPerTick / 4, StepMillis * sampleRate / 1000);
                offSide = Math.Abs(deviation) <= step ? 0 : Math.Sign(deviation) == Math.Sign(offSide) ? offSide + Math.Sign(deviation) : Math.Sign(deviation);
                if (Math.Abs(offSide) >= 3) // this tick is the third
                {
                    MoveOlderTicks(frame);
                    offSide = 0;
                }
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
        var newestAt = (fitNext + Window - 1) % Window;
        if (fitCount >= MinFit) holding = false;
        if (holding && framesPerTick > 0)
        {
            // After a jump: the held tempo's line through the new ticks (their mean), until there are enough of them.
            double offsets = 0;
            for (var i = 0; i < fitCount; i++)
            {
                var j = (newestAt - i + Window) % Window;
                offsets += fitFrames[j] - frame - framesPerTick * (fitTicks[j] - tickNumber);
            }
            fittedLastFrame = frame + offsets / fitCount;
            return;
        }
        // Least squares, relative to the newest point (no loss of precision over hours).
        var newest = (fitNext + Window - 1) % Window;
        var line = new LineFit();
        for (var i = 0; i < fitCount; i++)
        {
            var j = (newest - i + Window) % Window;
            line.Add(fitTicks[j] - tickNumber, fitFrames[j] - frame);
        }
        if (!line.TrySlope(out var slope) || slope <= 0) return;
        framesPerTick = slope;
        fittedLastFrame = frame + line.InterceptFor(slope);
    }
}
