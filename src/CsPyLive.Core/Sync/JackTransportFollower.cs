using CsPyLive.Audio;

namespace CsPyLive.Sync;

/// <summary>
/// Follows JACK's transport (<c>--sync jack</c>): each period the backend reads <c>jack_transport_query</c> into
/// <see cref="Receive"/>, and the beat clock anchors the period's first frame there: with a timebase master's BBT,
/// beat = (bar - 1) * beats_per_bar + (beat - 1) + tick / ticks_per_beat, the tempo its beats_per_minute, the quantum
/// its beats_per_bar; without one, the transport's frame at the clock's tempo. Rolling is <c>playing</c>; stopped
/// holds the beat (ADR 0018).
/// </summary>
/// <remarks>Audio thread only (both calls in the same callback, receive first); a value copy, no allocation.</remarks>
public sealed class JackTransportFollower : ITransportListener, IBeatSource
{
    private TransportPosition last;
    private bool seen;

    public void Receive(in TransportPosition position)
    {
        last = position;
        seen = true;
    }

    public void Locate(long firstFrame, ref BeatPosition position)
    {
        if (!seen) return;
        position.Playing = last.Rolling;
        position.Moving = last.Rolling;
        if (last.HasBbt)
        {
            position.Beat = (last.Bar - 1) * last.BeatsPerBar + (last.Beat - 1) + last.Tick / last.TicksPerBeat;
            if (last.BeatsPerMinute >= SyncConfig.MinTempo) position.Tempo = last.BeatsPerMinute;
            position.Quantum = last.BeatsPerBar;
        }
        else if (last.FrameRate > 0)
        {
            position.Beat = (double)last.Frame / last.FrameRate * position.Tempo / 60;
        }
    }
}

/// <summary>
/// Publishes the beat clock to JACK's transport as its timebase master (<c>--jack-transport-master</c>): the BBT
/// of the beat at the first frame of the next period (bars of <see cref="BeatClock.Quantum"/> beats, 1920 ticks a
/// beat), and the clock's tempo. Audio thread (JACK calls it after our process callback).
/// </summary>
public sealed class JackTimebaseMaster(BeatClock clock) : ITimebaseSource
{
    public const double TicksPerBeat = 1920;

    public void Fill(ref TransportPosition position, int frames)
    {
        var beat = Math.Max(0, clock.BeatAt(clock.PeriodFirstFrame + frames));
        var quantum = clock.Quantum;
        var bar = Math.Floor(beat / quantum);
        var inBar = beat - bar * quantum;
        var whole = Math.Floor(inBar);
        position.Bar = (int)bar + 1;
        position.Beat = (int)whole + 1;
        position.Tick = Math.Min((int)((inBar - whole) * TicksPerBeat), (int)TicksPerBeat - 1);
        position.TicksPerBeat = TicksPerBeat;
        position.BeatsPerBar = quantum;
        position.BeatType = 4;
        position.BeatsPerMinute = clock.Tempo;
        position.HasBbt = true;
    }
}
