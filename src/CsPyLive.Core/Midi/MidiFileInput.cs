using System.Diagnostics;
using CsPyLive.Audio;
using CsPyLive.Inputs;

namespace CsPyLive.Midi;

/// <summary>
/// A Standard MIDI File played into a destination: each event at the frame of its time in the piece
/// (<see cref="ActionSink.AtSeconds"/>), sent a little ahead of the engine, which holds it until its k-cycle.
/// </summary>
/// <remarks>
/// <para>A file can wait, so it never loses an event to a full queue: it sends only while the destination has room
/// (<see cref="IMidiDestination.HasRoom"/>) and sends the rest at its next tick, after the engine has taken what
/// was queued. Only a file with more events at one moment than a k-cycle takes (thousands at the same tick) is
/// then late, by a block; that is said once a second at most, with how many events waited.</para>
/// <para>Control thread (in a render, the rendering thread between blocks).</para>
/// </remarks>
public sealed class MidiFileInput(string path, StandardMidiFile file, ActionSink sink, IMidiDestination destination, int lookaheadFrames,
    Action<string>? log = null) : IShowInput
{
    private int next;
    private long lastSaid;

    /// <summary>The frame of the file's last event (end of track included).</summary>
    public long EndFrame { get; } = sink.AtSeconds(file.DurationSeconds);

    public bool Done => next >= file.Events.Count;

    public void Attach(IAudioBackend backend) { }

    /// <summary>Sends every event due before the engine's next <c>lookaheadFrames</c>, as far as there is room.</summary>
    public void Tick() => SendUntil(sink.FramesPerformed + lookaheadFrames);

    private void SendUntil(long frame)
    {
        var events = file.Events;
        while (next < events.Count)
        {
            var e = events[next];
            // Frame 0 would mean "now" (the queue for faders and panic); the piece's first frame is a time like the
            // others, and frame 1 is in the same k-cycle at any ksmps above 1.
            var at = Math.Max(1, sink.AtSeconds(e.Seconds));
            if (at >= frame) break;
            if (!destination.HasRoom)
            {
                SayWaiting(events.Count - next, at);
                return;
            }
            destination.Send(e.Message, at);
            next++;
        }
    }

    private void SayWaiting(int left, long at)
    {
        var now = Stopwatch.GetTimestamp();
        if (log is null || (lastSaid != 0 && Stopwatch.GetElapsedTime(lastSaid, now) < TimeSpan.FromSeconds(1))) return;
        lastSaid = now;
        log($"MIDI from {Path.GetFileName(path)}: more events at {at / (double)sink.SampleRate:0.###} s than the engine takes at once; " +
            $"{left} wait for room and follow block by block, so some sound late (none is lost)");
    }

    public void ForgetHeld() => destination.ReleaseAll();

    public InputReport Describe() =>
        new(InputKind.Midi, $"MIDI from {Path.GetFileName(path)} to {destination.Description}", destination.Received, 0, destination.NotesSounding);

    public void Dispose() { }
}
