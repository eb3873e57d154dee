using CsPyLive.Audio;

namespace CsPyLive.Inputs;

/// <summary>
/// Something that changes a performance from outside it: JACK MIDI, a MIDI file, OSC (and the clocks to come). Each
/// feeds the engine through one <see cref="ActionSink"/>, which stamps every action with its frame, and each takes
/// part in the show's one panic by forgetting what it holds.
/// </summary>
/// <remarks>A show owns its inputs: it attaches them before the backend starts, ticks them on its control thread,
/// and disposes them after the audio has stopped, in reverse order.</remarks>
public interface IShowInput : IDisposable
{
    /// <summary>
    /// Control thread, once, after the audio backend is open and before it starts: take what the input needs from it
    /// (a MIDI port) and start listening. Throws <see cref="InputUnavailableException"/> when it cannot.
    /// </summary>
    void Attach(IAudioBackend backend);

    /// <summary>Control thread, about every 10 ms while the show plays (between blocks when it renders): deliver what is due, report problems.</summary>
    void Tick();

    /// <summary>
    /// Any thread: forget held state — release the notes this input started (at the next k-cycle), lift its pedal,
    /// drop half-received messages. The show's panic calls it, and so does a device restart, whose stream was cut.
    /// </summary>
    void ForgetHeld();

    /// <summary>Control thread: what it is, for the first line of play, and what it did, for the stats.</summary>
    InputReport Describe();
}

/// <summary>What an input is and what it has done.</summary>
/// <param name="Kind">Which stats it counts in.</param>
/// <param name="Description">For the first line of play: "MIDI in from cspylive:midi_in to the note router".</param>
/// <param name="Received">Messages received.</param>
/// <param name="Dropped">Messages that changed nothing (malformed, refused, or a full queue).</param>
/// <param name="NotesSounding">Notes it started that are still sounding (MIDI to the note router; else 0).</param>
public readonly record struct InputReport(InputKind Kind, string Description, long Received, long Dropped, int NotesSounding = 0);

public enum InputKind : byte { Midi, Osc, Replay }

/// <summary>An input that cannot start with this show (no MIDI port on the null backend, a port taken); the message is for the user.</summary>
public sealed class InputUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The show's one panic, as inputs can ask for it (OSC's <c>/panic</c>).</summary>
public interface IShowPanic
{
    /// <summary>
    /// Every instrument off with its release, except those the patch keeps, at the k-cycle holding
    /// <paramref name="frame"/> (<see cref="ActionSink.Now"/>: the next one); every input forgets what it holds. Any thread.
    /// </summary>
    bool Panic(long frame);
}
