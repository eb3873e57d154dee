
namespace CsPyLive.Audio;

/// <summary>An audio device (or a clock or a file standing in for one) that calls an <see cref="IAudioCallback"/> each period.</summary>
/// <remarks>Every member but the callbacks themselves is for control threads.</remarks>
public interface IAudioBackend : IDisposable
{
    /// <summary>The backend's name as <c>--audio</c> takes it: jack, portaudio, asio, null, offline.</summary>
    string Name { get; }

    /// <summary>The device's own name (the JACK client, the sound card, the ASIO driver), for the stats; empty for none.</summary>
    string DeviceName { get; }

    /// <summary>The device as the first line of play says it ("as JACK client 'cspylive'"); empty for none.</summary>
    string DeviceDescription { get; }

    /// <summary>Whether what it plays reaches a listener (a sound device), rather than a clock or a file.</summary>
    bool IsAudible { get; }

    int SampleRate { get; }
    int PeriodFrames { get; }
    int OutputChannels { get; }

    /// <summary>Periods whose callback started later than the device needed it.</summary>
    long Xruns { get; }

    /// <summary>Periods in which the callback threw (the period was then silence).</summary>
    long CallbackErrors { get; }

    /// <summary>
    /// Gives the backend a MIDI input port whose events reach <paramref name="receiver"/> inside each period's
    /// callback, before the period is processed; returns the port's name, or null if the backend has no MIDI.
    /// Before <see cref="Start"/>.
    /// </summary>
    string? OpenMidiInput(IRawMidiReceiver receiver) => null;

    /// <summary>
    /// Gives the backend a MIDI output port (JACK: <c>midi_out</c>) that <paramref name="source"/> fills at the end of
    /// each period's callback; returns the port's name, or null if the backend has no MIDI. Before <see cref="Start"/>.
    /// </summary>
    string? OpenMidiOutput(IMidiOutputSource source) => null;

    /// <summary>
    /// How many sources feed the MIDI input port now (JACK: its connections), or -1 when the backend cannot say or
    /// has no port open. A control thread polls it: a keyboard unplugged with a key down leaves a note to release.
    /// </summary>
    int MidiInputSources => -1;

    /// <summary>
    /// Frames from the first frame of a period being computed to its sound leaving the device, as the backend knows
    /// it (JACK: our output ports' playback latency; PortAudio: the stream's output latency); one period when it
    /// cannot say. The beat clock adds it to Link's clock (ADR 0016). A control thread, while running.
    /// </summary>
    int OutputLatencyFrames => PeriodFrames;

    /// <summary>Calls <paramref name="callback"/>'s <see cref="IAudioCallback.AboutToStart"/>, then starts calling it on the backend's own thread.</summary>
    void Start(IAudioCallback callback);

    /// <summary>
    /// Stops, and returns once no callback is in flight, having called <see cref="IAudioCallback.Stopped"/>; or after
    /// <see cref="StopWait"/> for a callback that does not return, e.g. Python blocked in a C call: that callback is
    /// then left running, and Stopped is not called. Never call from inside the callback.
    /// </summary>
    void Stop();

    /// <summary>How long <see cref="Stop"/> waits for a callback that does not return.</summary>
    static TimeSpan StopWait => TimeSpan.FromSeconds(2);

    /// <summary>How often a show's control work runs beside a real-time backend.</summary>
    static TimeSpan ControlInterval => TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Performs: starts the callback, runs <paramref name="control"/> on the calling thread until it returns false,
    /// and stops. <paramref name="control"/> may wait up to the time it is given (for a stop request) before its work.
    /// A real-time backend runs its callback on its own thread and the control work every
    /// <see cref="ControlInterval"/>; an offline one runs both on the calling thread, a block then the control work.
    /// </summary>
    void Run(IAudioCallback callback, Func<TimeSpan, bool> control)
    {
        Start(callback);
        try
        {
            while (control(ControlInterval)) { }
        }
        finally
        {
            Stop();
        }
    }
}
