namespace CsPyLive.Midi;

/// <summary>
/// Plays a <see cref="StandardMidiFile"/> into a destination during an offline render: each event at frame
/// round(seconds · sr). Call <see cref="SendUntil"/> before the engine renders past a frame. The render thread only.
/// </summary>
public sealed class MidiFilePlayer(StandardMidiFile file, double sampleRate, IMidiDestination destination)
{
    private int next;

    /// <summary>The frame of the file's last event (end of track included).</summary>
    public long EndFrame { get; } = (long)Math.Round(file.DurationSeconds * sampleRate);

    public bool Done => next >= file.Events.Count;

    /// <summary>Sends every event whose frame is below <paramref name="frame"/>.</summary>
    public void SendUntil(long frame)
    {
        var events = file.Events;
        while (next < events.Count)
        {
            var e = events[next];
            var at = (long)Math.Round(e.Seconds * sampleRate);
            if (at >= frame) break;
            destination.Send(e.Message, at);
            next++;
        }
    }
}
