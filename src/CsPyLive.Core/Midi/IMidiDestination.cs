namespace CsPyLive.Midi;

/// <summary>
/// Where parsed MIDI goes: the note router (<see cref="MidiRouter"/>) or Csound's own MIDI system
/// (<see cref="CsoundMidiInput"/>). <see cref="Send"/> is called by one thread at a time (the audio thread for a
/// live port, the render thread for a file) and must not allocate or block; <see cref="ReleaseAll"/> may be called
/// from any thread.
/// </summary>
public interface IMidiDestination
{
    /// <summary>Applies <paramref name="message"/> at the k-cycle holding the absolute engine frame <paramref name="frame"/>.</summary>
    void Send(in MidiMessage message, long frame);

    /// <summary>Releases every note this destination started and lifts the pedal, at the next k-cycle. Any thread.</summary>
    void ReleaseAll();

    /// <summary>
    /// True while it can take one more message, whatever it is, without dropping anything: a sender that can wait (a
    /// file) sends only then. A snapshot; any thread.
    /// </summary>
    bool HasRoom { get; }

    /// <summary>Notes it started that have not been released yet (0 where it cannot tell). A snapshot; any thread.</summary>
    int NotesSounding { get; }

    /// <summary>Messages sent so far.</summary>
    long Received { get; }

    /// <summary>What it is, for the first line of play ("the note router").</summary>
    string Description { get; }
}
