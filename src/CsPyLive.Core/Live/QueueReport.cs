using System.Diagnostics;
using CsPyLive.Csound;

namespace CsPyLive.Live;

/// <summary>
/// Every queue of a show that can fill says so, by name and with what it holds, once a second at most: the engine's
/// actions (for now, timed, far future), Csound's and Python's messages, Csound's MIDI input, and the recording.
/// Nothing is lost silently. Control thread.
/// </summary>
internal sealed class QueueReport(Engine engine, Recorder? recorder, Action<MessageKind, string> log)
{
    private long lastAt;
    private (long Now, long Timed, long Far, long Messages, long Midi, long Recording) reported;

    public void Check()
    {
        var at = Stopwatch.GetTimestamp();
        if (at - lastAt < Stopwatch.Frequency) return;
        lastAt = at;
        var current = (engine.DroppedNow, engine.DroppedTimed, engine.DroppedFar, engine.Messages.Dropped, engine.HostMidiDropped,
            recorder?.Overruns ?? 0);
        Say(current.DroppedNow - reported.Now, $"action(s) for now dropped: their queue ({ActionScheduler.NowCapacity}) was full");
        Say(current.DroppedTimed - reported.Timed, $"timed action(s) dropped: their queue ({ActionScheduler.TimedQueueCapacity}) or the engine's " +
            $"heap ({ActionScheduler.PendingCapacity}) was full");
        Say(current.DroppedFar - reported.Far, $"action(s) more than a second ahead dropped: at most {ActionScheduler.FarCapacity} may wait " +
            "(far-future OSC bundles?); what is due sooner still has room");
        Say(current.Item4 - reported.Messages, "log message piece(s) dropped: the log queue was full");
        Say(current.HostMidiDropped - reported.Midi, "MIDI message(s) for Csound's MIDI input dropped: their queue was full");
        Say(current.Item6 - reported.Recording, "time(s) the recording fell behind the disk: samples are missing from the file");
        reported = current;
    }

    private void Say(long count, string what)
    {
        if (count > 0) log(MessageKind.Warning, $"cspylive: {count} {what}");
    }
}
