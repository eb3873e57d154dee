using CsPyLive.Audio;

namespace CsPyLive.Sync;

/// <summary>
/// Sends the beat clock as MIDI clock on the JACK port <c>midi_out</c> (<c>--midi-clock-out</c>,
/// <c>sync: {midi_clock_out: true}</c>): a tick (0xF8) at each 24th of a beat, placed at its own frame inside the
/// period; start (0xFA) when the clock starts at beat 0, else song position (0xF2, the next 16th) and continue
/// (0xFB); stop (0xFC) when the clock stops playing and when the show ends (<see cref="RequestStop"/>).
/// </summary>
/// <remarks>
/// <para>The ticks of a period are those of the timeline the period was computed with, at the frames its audio is
/// at: a receiver on the same JACK server sees them in the same cycle, as far ahead of the sound as our output
/// latency (ADR 0018). A timeline that jumps ahead (Link re-aligning) skips the ticks it jumped over rather than
/// sending a burst; one that jumps back waits for the beat to catch up: a receiver's beat never goes backwards.</para>
/// <para>Threads: <see cref="WriteMidi"/> on the audio thread (allocation-free); <see cref="RequestStop"/> and the
/// counters from any thread.</para>
/// </remarks>
public sealed class MidiClockOut(BeatClock clock) : IMidiOutputSource
{
    private readonly byte[] message = new byte[3];
    private bool started;
    private long lastTick = long.MinValue;
    private long ticks;
    private long skipped;
    private int stopRequested;

    /// <summary>Ticks sent.</summary>
    public long Ticks => Volatile.Read(ref ticks);

    /// <summary>Ticks not sent because the timeline jumped over them.</summary>
    public long Skipped => Volatile.Read(ref skipped);

    /// <summary>Asks for a stop message in the next period (the show is ending); <see cref="StopPending"/> until it was written.</summary>
    public void RequestStop() => Volatile.Write(ref stopRequested, 1);

    public bool StopPending => Volatile.Read(ref stopRequested) != 0;

    public void WriteMidi(MidiOutputBuffer output)
    {
        if (Volatile.Read(ref stopRequested) != 0)
        {
            if (started) Send(output, 0, 0xFC);
            started = false;
            Volatile.Write(ref stopRequested, 0);
            return;
        }
        if (!clock.Playing || !clock.Moving)
        {
            if (started) Send(output, 0, 0xFC);
            started = false;
            return;
        }
        var first = clock.PeriodFirstFrame;
        var beat = clock.BeatAt(first);
        var now = (long)Math.Ceiling(beat * MidiClockFollower.TicksPerBeat - 1e-6); // the first tick at or after the period's start
        if (!started)
        {
            started = true;
            if (beat < 1.0 / MidiClockFollower.TicksPerBeat)
            {
                Send(output, 0, 0xFA);
            }
            else
            {
                var sixteenth = (int)(Math.Ceiling(beat * 4 - 1e-6) % 16384);
                now = sixteenth * 6L;
                message[0] = 0xF2;
                message[1] = (byte)(sixteenth & 0x7F);
                message[2] = (byte)(sixteenth >> 7);
                output.Write(0, message);
                Send(output, 0, 0xFB);
            }
            lastTick = now - 1;
        }
        var k = lastTick + 1;
        if (now - k > 1)
        {
            Volatile.Write(ref skipped, skipped + (now - k));
            k = now;
        }
        var last = 0;
        for (; ; k++)
        {
            var offset = (long)Math.Round(clock.FrameOfBeat((double)k / MidiClockFollower.TicksPerBeat)) - first;
            if (offset >= output.Frames) break;
            last = (int)Math.Max(offset, last);
            Send(output, last, 0xF8);
            lastTick = k;
            Volatile.Write(ref ticks, ticks + 1);
        }
    }

    private void Send(MidiOutputBuffer output, int offset, byte status)
    {
        message[0] = status;
        output.Write(offset, message.AsSpan(0, 1));
    }
}
