using System.Runtime.CompilerServices;
using CsPyLive.Csound;
using CsPyLive.Sync.Link;

namespace CsPyLive.Sync;

/// <summary>
/// The beat clock a show owns: where every k-cycle is on the shared timeline (tempo, beat, bar phase), from an
/// Ableton Link session or, without one, from the host's own clock at the start tempo. Before each k-cycle it sets
/// the control channels <c>tempo</c>, <c>beat</c> (at the k-cycle's first frame), <c>bar_phase</c> (0..1 in the
/// bar), <c>quantum</c> and <c>playing</c>; it publishes the same values for the Python module <c>cspylive</c>
/// (<see cref="Python.CsPyLiveModule"/>) and the timeline for quantized actions (<see cref="NextBoundaryFrame(Quantization, long)"/>).
/// </summary>
/// <remarks>
/// <para>The timeline is held as an anchor: the beat and bar phase at one engine frame, and the tempo from there on.
/// With Link the anchor is the first frame of each period, captured once per period (<see cref="BeginPeriod"/>) at
/// the host time whose sound that frame is: Link's clock at the callback plus the backend's output latency
/// (<see cref="OutputLatencyFrames"/>; ADR 0016), the clock smoothed over the last periods by a
/// <see cref="HostTimeFilter"/> so that the callback's wake-up jitter does not move the beat. Without Link the anchor moves only when the tempo changes, so beats
/// are exact multiples of frames and a render gives the same beats every time.</para>
/// <para>Threads: <see cref="BeginPeriod"/> and <see cref="BeforeKCycle"/> on the audio thread, allocation-free and
/// lock-free (Link's audio session state is used there only); <see cref="SetTempo"/> on control threads (Link's app
/// state); <see cref="RequestTempo"/> from any thread, the audio thread included (applied at the next period);
/// <see cref="NextBoundaryFrame(Quantization, long)"/> from any thread (a sequence lock: it retries while the audio thread moves the
/// anchor, never the other way round); the published values from any thread.</para>
/// </remarks>
public sealed class BeatClock : IKCycleObserver
{
    private readonly Engine? engine;
    private readonly LinkSession? link;
    private readonly IBeatSource? follow;
    private readonly bool linkStartStop;
    private readonly HostTimeFilter hostTimes;
    private readonly double sampleRate;
    private double quantum;
    private readonly int tempoSlot = -1, beatSlot = -1, phaseSlot = -1, quantumSlot = -1, playingSlot = -1;
    private int outputLatencyFrames;
    private long requestedTempoBits; // a double's bits; 0: none
    // The anchor, written by the audio thread inside a sequence lock (odd while being written).
    private int version;
    private long anchorFrame;
    private double anchorBeat;
    private double anchorPhase;
    private double tempo;
    private double beatsPerFrame;
    private bool moving = true; // false: the beat holds (a followed clock stopped)
    private bool playing = true;
    private long periodFirstFrame;
    // What the last k-cycle saw, for Python and the status line.
    private double beat;
    private double barPhase;
    private long kCycles;

    /// <summary>
    /// A clock for <paramref name="engine"/> (its channels are created here), from <paramref name="link"/> when given
    /// (enabled by the caller; the clock never disposes it), else from the frames played at
    /// <paramref name="config"/>'s start tempo. Control thread, before the engine performs.
    /// </summary>
    public BeatClock(SyncConfig config, double sampleRate, Engine? engine, LinkSession? link = null)
        : this(config, sampleRate, engine, link, null)
    {
    }

    /// <summary>
    /// A clock that follows <paramref name="source"/> (MIDI clock, JACK transport), whose <see cref="SyncSource"/>
    /// is <paramref name="config"/>'s. Control thread, before the engine performs.
    /// </summary>
    public BeatClock(SyncConfig config, double sampleRate, Engine? engine, IBeatSource source)
        : this(config, sampleRate, engine, null, source)
    {
    }

    private BeatClock(SyncConfig config, double sampleRate, Engine? engine, LinkSession? link, IBeatSource? source)
    {
        config.Validate();
        this.engine = engine;
        this.link = link;
        this.sampleRate = sampleRate;
        quantum = config.Quantum;
        tempo = config.Tempo;
        beatsPerFrame = tempo / (60.0 * sampleRate);
        hostTimes = new HostTimeFilter(sampleRate);
        follow = source;
        linkStartStop = link is not null && config.StartStop;
        Source = link is not null ? SyncSource.Link : source is not null ? config.Source : SyncSource.None;
        if (source is not null) playing = false; // until the source says it plays
        if (engine is not null)
        {
            tempoSlot = engine.ChannelSlot("tempo");
            beatSlot = engine.ChannelSlot("beat");
            phaseSlot = engine.ChannelSlot("bar_phase");
            quantumSlot = engine.ChannelSlot("quantum");
            playingSlot = engine.ChannelSlot("playing");
        }
    }

    public SyncSource Source { get; }

    /// <summary>Beats a bar (JACK transport's beats_per_bar when it follows one). Any thread.</summary>
    public double Quantum => Volatile.Read(ref quantum);

    /// <summary>Whether the timeline plays: Link's start/stop state, the followed clock's transport; always with the host's own clock. Any thread.</summary>
    public bool Playing => Volatile.Read(ref playing);

    /// <summary>The first frame of the period being computed (or last computed). Any thread.</summary>
    public long PeriodFirstFrame => Volatile.Read(ref periodFirstFrame);

    /// <summary>The tempo the last period played, in BPM. Any thread.</summary>
    public double Tempo => Volatile.Read(ref tempo);

    /// <summary>The beat at the first frame of the last k-cycle performed (or being performed). Any thread.</summary>
    public double Beat => Volatile.Read(ref beat);

    /// <summary>Where the last k-cycle began in its bar, 0..1. Any thread.</summary>
    public double BarPhase => Volatile.Read(ref barPhase);

    /// <summary>K-cycles the clock has set the channels for. Any thread.</summary>
    public long KCycles => Volatile.Read(ref kCycles);

    /// <summary>The Link session, when the clock follows one.</summary>
    public LinkSession? Link => link;

    /// <summary>
    /// Frames from a period's first frame being computed to its sound leaving the device: what Link's host time adds
    /// to the clock at the callback. Set by the show from the backend (control thread); read once a period.
    /// </summary>
    public int OutputLatencyFrames
    {
        get => Volatile.Read(ref outputLatencyFrames);
        set => Volatile.Write(ref outputLatencyFrames, Math.Max(0, value));
    }

    /// <summary>
    /// Sets the tempo now: on Link, the session's (every peer follows); without, the host's own from the next period.
    /// False for a tempo out of range (<see cref="SyncConfig.IsTempo"/>). Control threads (not the audio thread:
    /// Link's app state may lock).
    /// </summary>
    public bool SetTempo(double bpm)
    {
        if (!SyncConfig.IsTempo(bpm) || follow is not null) return false;
        if (link is not null) link.SetTempo(bpm);
        else RequestTempo(bpm);
        return true;
    }

    /// <summary>
    /// Asks for <paramref name="bpm"/> from the next period on (on Link through the audio session state, as Link
    /// allows from the audio thread). Any thread, allocation-free; false for a tempo out of range.
    /// </summary>
    public bool RequestTempo(double bpm)
    {
        if (!SyncConfig.IsTempo(bpm) || follow is not null) return false;
        Interlocked.Exchange(ref requestedTempoBits, BitConverter.DoubleToInt64Bits(bpm));
        return true;
    }

    /// <summary>
    /// A new period whose first output frame is <paramref name="firstFrame"/>: applies a requested tempo and, on Link,
    /// captures the timeline at the host time that frame is heard. Audio thread, before the engine computes the
    /// period; allocation-free.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginPeriod(long firstFrame)
    {
        Volatile.Write(ref periodFirstFrame, firstFrame);
        var requested = Interlocked.Exchange(ref requestedTempoBits, 0);
        if (follow is not null)
        {
            var position = new BeatPosition { Beat = anchorBeat + BeatsSince(firstFrame), Tempo = tempo, Quantum = quantum, Playing = playing, Moving = moving };
            follow.Locate(firstFrame, ref position);
            if (position.Quantum >= 1) quantum = position.Quantum;
            MoveAnchor(firstFrame, position.Beat, Wrap(position.Beat), position.Tempo >= SyncConfig.MinTempo ? position.Tempo : tempo, position.Moving, position.Playing);
        }
        else if (link is not null)
        {
            var hostTime = LinkSession.HostTimeMicros(hostTimes.At(firstFrame, link.ClockMicros), outputLatencyFrames, (int)sampleRate);
            if (requested != 0) link.AudioRequestTempo(BitConverter.Int64BitsToDouble(requested), hostTime);
            link.CaptureAudio(hostTime, quantum, out var state);
            MoveAnchor(firstFrame, state.Beat, state.Phase, state.Tempo, true, !linkStartStop || state.IsPlaying);
        }
        else if (requested != 0)
        {
            var beats = BeatsSince(firstFrame);
            MoveAnchor(firstFrame, anchorBeat + beats, Wrap(anchorPhase + beats), BitConverter.Int64BitsToDouble(requested), true, true);
        }
    }

    /// <summary>Sets the clock's channels for the k-cycle starting at <paramref name="frame"/>. Audio thread; allocation-free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeforeKCycle(long frame)
    {
        var beats = BeatsSince(frame);
        var b = anchorBeat + beats;
        var phase = Wrap(anchorPhase + beats) / quantum;
        Volatile.Write(ref beat, b);
        Volatile.Write(ref barPhase, phase);
        Volatile.Write(ref kCycles, kCycles + 1);
        if (engine is null) return;
        engine.WriteHostChannel(tempoSlot, tempo);
        engine.WriteHostChannel(beatSlot, b);
        engine.WriteHostChannel(phaseSlot, phase);
        engine.WriteHostChannel(quantumSlot, quantum);
        engine.WriteHostChannel(playingSlot, playing ? 1 : 0);
    }

    /// <summary>
    /// The first frame at or after <paramref name="notBefore"/> that starts a beat or a bar of the timeline (bars
    /// where the bar phase is 0, beats where it is whole), as the timeline stands now: a tempo change after this call
    /// moves the real boundary, not the frame returned. <see cref="QuantizeTo.None"/> gives
    /// <paramref name="notBefore"/>. Any thread; allocation-free.
    /// </summary>
    public long NextBoundaryFrame(QuantizeTo to, long notBefore) => NextBoundaryFrame(new Quantization(to), notBefore);

    /// <summary>The same for any <see cref="Quantization"/>: a multiple of its beats counts from the bar's start.</summary>
    public long NextBoundaryFrame(Quantization to, long notBefore)
    {
        if (to.IsNone) return notBefore;
        long frame;
        double phase0, perFrame, unit;
        var spinner = new SpinWait();
        while (true)
        {
            var v = Volatile.Read(ref version);
            frame = Volatile.Read(ref anchorFrame);
            phase0 = Volatile.Read(ref anchorPhase);
            perFrame = Volatile.Read(ref beatsPerFrame);
            unit = to.Unit(Volatile.Read(ref quantum));
            Interlocked.MemoryBarrier();
            if ((v & 1) == 0 && Volatile.Read(ref version) == v) break;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        var phaseThen = phase0 + (notBefore - frame) * perFrame;
        var boundary = Math.Ceiling(phaseThen / unit - 1e-9) * unit; // a boundary a hair before: that one
        var at = frame + (long)Math.Ceiling((boundary - phase0) / perFrame - 1e-6);
        return Math.Max(at, notBefore);
    }

    /// <summary>Whether the beat advances with the frames (false: a followed clock holds it). Audio thread.</summary>
    public bool Moving => moving;

    /// <summary>The beat at <paramref name="frame"/> as the timeline of this period says. Audio thread, after <see cref="BeginPeriod"/>.</summary>
    public double BeatAt(long frame) => anchorBeat + BeatsSince(frame);

    /// <summary>The (fractional) frame at which this period's timeline reaches <paramref name="atBeat"/>. Audio thread, after <see cref="BeginPeriod"/>.</summary>
    public double FrameOfBeat(double atBeat) => anchorFrame + (atBeat - anchorBeat) * 60.0 * sampleRate / tempo;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double BeatsSince(long frame) => moving ? (frame - anchorFrame) * tempo / (60.0 * sampleRate) : 0; // exact for whole bars at common rates

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Wrap(double phase)
    {
        var p = phase % quantum;
        return p < 0 ? p + quantum : p;
    }

    private void MoveAnchor(long frame, double atBeat, double phase, double bpm, bool advancing, bool isPlaying)
    {
        var v = Interlocked.Increment(ref version); // odd: readers retry
        moving = advancing;
        Volatile.Write(ref playing, isPlaying);
        anchorFrame = frame;
        anchorBeat = atBeat;
        anchorPhase = phase;
        tempo = bpm;
        beatsPerFrame = bpm / (60.0 * sampleRate);
        Volatile.Write(ref version, v + 1);
    }
}
