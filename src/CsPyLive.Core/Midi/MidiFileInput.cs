using CsPyLive.Audio;
using CsPyLive.Inputs;

namespace CsPyLive.Midi;

/// <summary>
/// A Standard MIDI File played into a destination during a render: each event at the frame of its time in the
/// piece (<see cref="ActionSink.AtSeconds"/>), sent a little ahead of the engine, which holds it until its k-cycle.
/// </summary>
/// <remarks>Control thread (in a render, the rendering thread between blocks).</remarks>
public sealed class MidiFileInput(string path, StandardMidiFile file, ActionSink sink, IMidiDestination destination, int lookaheadFrames)
    : IShowInput
{
    private int next;

    /// <summary>The frame of the file's last event (end of track included).</summary>
    public long EndFrame { get; } = sink.AtSeconds(file.DurationSeconds);

    public bool Done => next >= file.Events.Count;

    public void Attach(IAudioBackend backend) { }

    /// <summary>Sends every event due before the engine's next <c>lookaheadFrames</c>.</summary>
    public void Tick() => SendUntil(sink.FramesPerformed + lookaheadFrames);

    private void SendUntil(long frame)
    {
        var events = file.Events;
        while (next < events.Count)
        {
            var e = events[next];
            var at = sink.AtSeconds(e.Seconds);
            if (at >= frame) break;
            destination.Send(e.Message, at);
            next++;
        }
    }

    public void ForgetHeld() => destination.ReleaseAll();

    public InputReport Describe() =>
        new(InputKind.Midi, $"MIDI from {Path.GetFileName(path)} to {destination.Description}", destination.Received, 0);

    public void Dispose() { }
}
