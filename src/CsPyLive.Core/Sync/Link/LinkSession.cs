namespace CsPyLive.Sync.Link;

/// <summary>
/// One Ableton Link session (a peer), through our C shim. Created disabled: it joins the network only with
/// <see cref="Enable"/>, and then multicasts on every interface. Two kinds of members, as Link's own threading rules:
/// <list type="bullet">
/// <item>the <c>*Audio*</c> members (<see cref="CaptureAudio"/>, <see cref="AudioTimeAtBeat"/>,
/// <see cref="AudioRequestTempo"/>) use Link's audio session state: realtime-safe, no allocation, no lock, and to be
/// called from one thread only, the audio thread;</item>
/// <item>everything else uses Link's app session state or its controls: any thread but the audio thread.</item>
/// </list>
/// <see cref="ClockMicros"/> is safe on any thread. Times are microseconds on Link's clock (CLOCK_MONOTONIC_RAW on
/// Linux), the same in every process on the machine. The host's time for a period is the Link clock at the callback
/// plus the backend's output latency (<see cref="HostTimeMicros"/>): the beat that is heard then.
/// Stop the audio thread before <see cref="Dispose"/>.
/// </summary>
public sealed unsafe class LinkSession : IDisposable
{
    private nint handle;

    private LinkSession(nint handle) => this.handle = handle;

    /// <summary>
    /// Creates a session at <paramref name="bpm"/>, not yet enabled. App thread. Throws
    /// <see cref="DllNotFoundException"/> if the shim is not built, <see cref="InvalidOperationException"/> if it is
    /// another version or Link cannot be created.
    /// </summary>
    public static LinkSession Create(double bpm)
    {
        if (!(bpm > 0)) throw new ArgumentOutOfRangeException(nameof(bpm), bpm, "a tempo is a positive number of beats per minute");
        var abi = LinkNative.cspylive_link_abi_version();
        if (abi != LinkNative.AbiVersion)
            throw new InvalidOperationException($"the Ableton Link shim is ABI {abi}, this build expects {LinkNative.AbiVersion}: rebuild it (scripts/build-link-shim.sh --force)");
        var h = LinkNative.cspylive_link_create(bpm);
        if (h == 0) throw new InvalidOperationException("Ableton Link could not be created");
        var session = new LinkSession(h);
        session.BindAudioCalls();
        return session;
    }

    /// <summary>
    /// Calls each audio-thread entry point once, here, before any audio thread runs (so still one thread at a time, as
    /// Link asks): .NET binds a P/Invoke at its first call and allocates while it does, which must not happen in the
    /// first audio period. The tempo request with 0 BPM does nothing.
    /// </summary>
    private void BindAudioCalls()
    {
        CaptureAudio(ClockMicros, 4, out _);
        _ = AudioTimeAtBeat(0, 4);
        LinkNative.cspylive_link_audio_request_tempo(handle, 0, 0);
    }

    /// <summary>True if the shim can be loaded here (built, or found through CSPYLIVE_LINK_LIBRARY). Any thread.</summary>
    public static bool IsAvailable => LinkLibrary.IsAvailable();

    /// <summary>
    /// The time whose beat is heard from the first frame of the period being computed: the Link clock at the
    /// callback plus the backend's output latency. Pure; any thread.
    /// </summary>
    public static long HostTimeMicros(long clockAtCallbackMicros, int outputLatencyFrames, int sampleRate) =>
        clockAtCallbackMicros + (long)Math.Round(outputLatencyFrames * 1_000_000.0 / sampleRate);

    /// <summary>Now on Link's clock, in microseconds. Any thread (realtime-safe).</summary>
    public long ClockMicros => LinkNative.cspylive_link_clock_micros(Handle);

    /// <summary>Whether the session takes part in the network. App thread.</summary>
    public bool IsEnabled => LinkNative.cspylive_link_is_enabled(Handle) != 0;

    /// <summary>Joins (true) or leaves (false) the network session. App thread. Throws if Link cannot start.</summary>
    public void Enable(bool enable)
    {
        if (LinkNative.cspylive_link_enable(Handle, enable ? (byte)1 : (byte)0) != 0)
            throw new InvalidOperationException($"Ableton Link could not be {(enable ? "enabled" : "disabled")}");
    }

    /// <summary>How many other peers are in the session. App thread.</summary>
    public int PeerCount => (int)LinkNative.cspylive_link_num_peers(Handle);

    /// <summary>The session's tempo in BPM. App thread.</summary>
    public double Tempo => LinkNative.cspylive_link_tempo(Handle);

    /// <summary>Sets the session's tempo from <paramref name="atMicros"/> (default: now) on. App thread.</summary>
    public void SetTempo(double bpm, long? atMicros = null)
    {
        if (!(bpm > 0)) throw new ArgumentOutOfRangeException(nameof(bpm), bpm, "a tempo is a positive number of beats per minute");
        LinkNative.cspylive_link_set_tempo(Handle, bpm, atMicros ?? ClockMicros);
    }

    /// <summary>Whether start/stop is shared with the session's peers. App thread.</summary>
    public bool StartStopSync
    {
        get => LinkNative.cspylive_link_is_start_stop_sync_enabled(Handle) != 0;
        set => LinkNative.cspylive_link_enable_start_stop_sync(Handle, value ? (byte)1 : (byte)0);
    }

    /// <summary>The session's start/stop state. App thread.</summary>
    public bool IsPlaying => LinkNative.cspylive_link_is_playing(Handle) != 0;

    /// <summary>Starts or stops the transport at <paramref name="atMicros"/> (default: now). App thread.</summary>
    public void SetIsPlaying(bool playing, long? atMicros = null) =>
        LinkNative.cspylive_link_set_is_playing(Handle, playing ? (byte)1 : (byte)0, atMicros ?? ClockMicros);

    /// <summary>The timeline at <paramref name="timeMicros"/> from the app session state. App thread.</summary>
    public void CaptureApp(long timeMicros, double quantum, out LinkState state)
    {
        fixed (LinkState* s = &state) LinkNative.cspylive_link_app_capture(Handle, timeMicros, quantum, s);
    }

    /// <summary>
    /// Fills <paramref name="state"/> with the timeline at <paramref name="hostTimeMicros"/> (see
    /// <see cref="HostTimeMicros"/>) for <paramref name="quantum"/> beats per bar: tempo, beat, phase, and the Link
    /// times of the next beat and bar (<see cref="LinkState.FrameOf"/> turns them into frames of this period). One
    /// capture of the audio session state. Audio thread only; no allocation, no lock.
    /// </summary>
    public void CaptureAudio(long hostTimeMicros, double quantum, out LinkState state)
    {
        fixed (LinkState* s = &state) LinkNative.cspylive_link_audio_capture(Handle, hostTimeMicros, quantum, s);
    }

    /// <summary>The Link time at which the timeline reaches <paramref name="beat"/>. Audio thread only; no allocation.</summary>
    public long AudioTimeAtBeat(double beat, double quantum) => LinkNative.cspylive_link_audio_time_at_beat(Handle, beat, quantum);

    /// <summary>
    /// Asks the session for <paramref name="bpm"/> from <paramref name="atMicros"/> on, from the audio thread (e.g. a
    /// tempo a k-cycle computed). Audio thread only; no allocation. Ignores a tempo that is not positive.
    /// </summary>
    public void AudioRequestTempo(double bpm, long atMicros)
    {
        if (bpm > 0) LinkNative.cspylive_link_audio_request_tempo(Handle, bpm, atMicros);
    }

    /// <summary>Leaves the session and frees it. App thread, after the audio thread has stopped using it.</summary>
    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, 0);
        if (h != 0) LinkNative.cspylive_link_destroy(h);
    }

    private nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(LinkSession));
}
