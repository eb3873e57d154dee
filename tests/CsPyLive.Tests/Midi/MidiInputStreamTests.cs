using CsPyLive.Inputs;
using CsPyLive.Csound;
using CsPyLive.Midi;

namespace CsPyLive.Tests.Midi;

public sealed class MidiInputStreamTests
{
    private sealed class Recorder : IMidiDestination
    {
        public List<MidiMessage> Messages { get; } = [];
        public int Panics { get; private set; }
        public void Send(in MidiMessage message, long frame) => Messages.Add(message);
        public void ReleaseAll() => Panics++;
        public string Description => "a recorder";
        public bool HasRoom => true;
        public int NotesSounding => 0;
        public long Received => Messages.Count;
    }

    [Fact]
    public void A_restart_releases_the_notes_and_drops_the_half_message_and_running_status()
    {
        using var engine = new Engine();
        var destination = new Recorder();
        var input = new MidiInputStream(new ActionSink(engine), destination);
        input.Receive([0x90, 60, 100, 62], 0); // a note, then half of another under running status
        Assert.Single(destination.Messages);

        input.ForgetHeld();
        Assert.Equal(1, destination.Panics);
        // Without the restart, 90 would complete the note 62, and 64 90 would be a note under the old running status.
        input.Receive([90, 64, 90], 0);
        Assert.Single(destination.Messages);
        input.Receive([0x80, 60, 0], 0);
        Assert.Equal(MidiMessageKind.NoteOff, destination.Messages[^1].Kind);
        Assert.Equal(3, input.Dropped);
    }
}
