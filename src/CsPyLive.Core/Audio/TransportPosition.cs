namespace CsPyLive.Audio;

/// <summary>
/// A transport's position at the start of a period (JACK's <c>jack_position_t</c>, the fields a beat clock uses): a
/// plain value, filled on the audio thread. Bars and beats count from 1, as JACK's BBT does.
/// </summary>
public struct TransportPosition
{
    /// <summary>Rolling (or starting); false when stopped.</summary>
    public bool Rolling;

    /// <summary>The frame on the transport's timeline.</summary>
    public long Frame;

    public int FrameRate;

    /// <summary>Whether bar, beat, tick and tempo are valid (a timebase master publishes them).</summary>
    public bool HasBbt;

    public int Bar;
    public int Beat;
    public int Tick;
    public double TicksPerBeat;
    public double BeatsPerBar;
    public double BeatType;
    public double BeatsPerMinute;
}

/// <summary>Takes the transport's position once a period, inside the callback before the period is processed. Must not allocate, block or throw.</summary>
public interface ITransportListener
{
    void Receive(in TransportPosition position);
}

/// <summary>
/// Publishes the host's timeline to the transport as its timebase master: fills bar, beat, tick and tempo for the
/// period that starts after the one just computed. Audio thread; must not allocate, block or throw.
/// </summary>
public interface ITimebaseSource
{
    /// <summary>Fills <paramref name="position"/>'s BBT fields for the next period, which follows one of <paramref name="frames"/> frames.</summary>
    void Fill(ref TransportPosition position, int frames);
}

/// <summary>
/// The device's own count of frames at the start of the current cycle (JACK: <c>jack_last_frame_time</c>): it keeps
/// running when our callback misses a period, unlike the engine's frames. Read on the audio thread.
/// </summary>
public interface ICycleClock
{
    long CycleFrames { get; }
}
