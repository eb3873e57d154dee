namespace CsPyLive.Sync;

/// <summary>
/// Where an outside clock puts the timeline at a period's first frame: what <see cref="BeatClock"/> anchors its beat
/// to. A plain value filled by an <see cref="IBeatSource"/> on the audio thread.
/// </summary>
public struct BeatPosition
{
    /// <summary>The beat at the period's first frame.</summary>
    public double Beat;

    /// <summary>Beats a minute from there on.</summary>
    public double Tempo;

    /// <summary>Beats a bar (JACK transport's beats_per_bar; the configured quantum otherwise).</summary>
    public double Quantum;

    /// <summary>The source's transport: started (MIDI start/continue, JACK rolling) or stopped.</summary>
    public bool Playing;

    /// <summary>Whether the beat advances with the frames from there (false: it holds, e.g. stopped, or started and waiting for the first tick).</summary>
    public bool Moving;
}

/// <summary>
/// A clock the host follows that is not Link (MIDI clock, JACK transport): fed by the backend inside the callback,
/// read once a period by <see cref="BeatClock.BeginPeriod"/>.
/// </summary>
/// <remarks>Audio thread only: implementations allocate nothing, take no lock and do no I/O.</remarks>
public interface IBeatSource
{
    /// <summary>
    /// Fills <paramref name="position"/> for the period whose first frame is <paramref name="firstFrame"/>; it holds
    /// the clock's own view on entry (the beat extrapolated to that frame, the tempo, quantum and state), to keep
    /// when the source has nothing new.
    /// </summary>
    void Locate(long firstFrame, ref BeatPosition position);
}
