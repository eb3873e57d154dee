using System.Runtime.InteropServices;

namespace CsPyLive.Sync.Link;

/// <summary>
/// The shared timeline at one moment, as one capture of Link's session state gives it: the C struct
/// <c>cspylive_link_state</c> (native/link/cspylive_link.h), 64 bytes, filled in place by
/// <see cref="LinkSession.CaptureAudio"/> (audio thread) or <see cref="LinkSession.CaptureApp"/> (any other thread).
/// A plain value: reading it is safe on any thread.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
public struct LinkState
{
    private long timeMicros;
    private double quantum;
    private double tempo;
    private double beat;
    private double phase;
    private long nextBeatMicros;
    private long nextBarMicros;
    private byte isPlaying;

    /// <summary>A state with the given values (what a capture fills in; for tests and other clock sources).</summary>
    public LinkState(long timeMicros, double quantum, double tempo, double beat, double phase, long nextBeatMicros, long nextBarMicros, bool isPlaying)
    {
        this.timeMicros = timeMicros;
        this.quantum = quantum;
        this.tempo = tempo;
        this.beat = beat;
        this.phase = phase;
        this.nextBeatMicros = nextBeatMicros;
        this.nextBarMicros = nextBarMicros;
        this.isPlaying = isPlaying ? (byte)1 : (byte)0;
    }

    /// <summary>The Link time this state describes, in microseconds (the host time asked about).</summary>
    public readonly long TimeMicros => timeMicros;

    /// <summary>Beats per bar (Link's quantum) the beat and phase were computed with.</summary>
    public readonly double Quantum => quantum;

    /// <summary>The session's tempo, in beats per minute.</summary>
    public readonly double Tempo => tempo;

    /// <summary>The beat at <see cref="TimeMicros"/> (may be negative just after joining a session).</summary>
    public readonly double Beat => beat;

    /// <summary>The beat's place in the bar, in [0, <see cref="Quantum"/>).</summary>
    public readonly double Phase => phase;

    /// <summary>Link time of the first whole beat at or after <see cref="TimeMicros"/>.</summary>
    public readonly long NextBeatMicros => nextBeatMicros;

    /// <summary>Link time of the first bar boundary (phase 0) at or after <see cref="TimeMicros"/>.</summary>
    public readonly long NextBarMicros => nextBarMicros;

    /// <summary>The session's start/stop state (shared only with start/stop sync on).</summary>
    public readonly bool IsPlaying => isPlaying != 0;

    /// <summary>
    /// The frame, counted from the frame at <see cref="TimeMicros"/>, at which Link time <paramref name="linkMicros"/>
    /// falls, at <paramref name="sampleRate"/>: e.g. <c>FrameOf(NextBarMicros, sr)</c> is inside this period when it
    /// is below the period's length. Rounded to the nearest frame. Allocation-free; any thread.
    /// </summary>
    public readonly long FrameOf(long linkMicros, int sampleRate) =>
        (long)Math.Round((linkMicros - timeMicros) * (double)sampleRate / 1_000_000.0, MidpointRounding.AwayFromZero);
}
