using System.Diagnostics;
using System.Text;
using CsPyLive.Audio;
using CsPyLive.Csound;
using CsPyLive.Inputs;
using CsPyLive.Osc;
using CsPyLive.Python.Reload;

namespace CsPyLive.Replay;

/// <summary>
/// Plays a show log back into a rendering show: each entry is queued for the frame it was applied at live, a couple
/// of blocks ahead, so the engine applies it in the same k-cycle and in the same order; swaps and rollbacks go
/// through the show's reloader at their frames. Render runs blocks and control work in lockstep, so nothing here
/// races the audio.
/// </summary>
public sealed class ReplayInput : IShowInput, IKBoundaryHandler
{
    private const byte OpPyNumber = 1, OpPyString = 2, OpPyExec = 3;

    private readonly ShowLogFile log;
    private readonly Engine engine;
    private readonly ActionSink sink;
    private readonly HotReloader reloader;
    private readonly string patchDirectory;
    private readonly OscPython python;
    private readonly byte handler;
    private int periodFrames = 256;
    private int next;
    private long late;

    public ReplayInput(ShowLogFile log, Engine engine, ActionSink sink, HotReloader reloader, string patchDirectory)
    {
        this.log = log;
        this.engine = engine;
        this.sink = sink;
        this.reloader = reloader;
        this.patchDirectory = patchDirectory;
        python = new OscPython(engine.Messages);
        handler = engine.CustomActions.Add(this);
    }

    /// <summary>Entries queued after their frame had passed (a full queue): the replay diverges from there.</summary>
    public long Late => late;

    public void Attach(IAudioBackend backend) => periodFrames = backend.PeriodFrames;

    public void Tick()
    {
        var horizon = engine.FramesPerformed + 2L * periodFrames;
        while (next < log.Entries.Count && log.Entries[next].Frame < horizon && sink.Room > 64)
        {
            var e = log.Entries[next];
            if (e.Frame > 0 && e.Frame < engine.FramesPerformed) late++;
            if (!Queue(e)) break;
            next++;
        }
    }

    /// <summary>False to try again at the next tick (a Python string slot is busy).</summary>
    private bool Queue(LogEntry e)
    {
        switch (e.Kind)
        {
            case LogEntryKind.Event:
                sink.Enqueue(TimedAction.ScoreEvent(e.Frame, e.EventType, e.PFields));
                return true;
            case LogEntryKind.Channel:
                sink.Enqueue(TimedAction.ChannelWrite(e.Frame, sink.ChannelSlot(e.Name), e.Value));
                return true;
            case LogEntryKind.TurnOff:
                sink.Enqueue(TimedAction.Kill(e.Frame, e.Value));
                return true;
            case LogEntryKind.PyNumber:
                return Custom(e.Frame, OpPyNumber, Name(e.Name), e.Value, e.NumberKind);
            case LogEntryKind.PyString:
                var slot = python.TryPutString(Encoding.UTF8.GetBytes(e.Text));
                if (slot < 0) return false;
                return Custom(e.Frame, OpPyString, Name(e.Name), 0, (short)slot);
            case LogEntryKind.PyExec:
                var code = python.TryCompile(Encoding.UTF8.GetBytes(e.Text));
                if (code < 0) return false;
                return Custom(e.Frame, OpPyExec, 0, 0, (short)code);
            case LogEntryKind.Midi:
                foreach (var message in MidiMessages(e.Bytes)) engine.SendMidi(message, Math.Max(e.Frame, 0));
                return true;
            case LogEntryKind.Reload:
                var path = Path.Combine(patchDirectory, e.Name);
                reloader.Submit(new CompileResult(path, e.Bytes, null, 0, 0, null), Stopwatch.GetTimestamp(), e.Frame);
                return true;
            case LogEntryKind.Rollback:
                reloader.RollBackAt(e.Frame);
                return true;
        }
        return true;
    }

    private int Name(string name) => python.NameIndex(Encoding.UTF8.GetBytes(name));

    private bool Custom(long frame, byte op, int index, double value, short count)
    {
        if (index < 0) return true; // not a name Python takes: it was not applied live either
        sink.Enqueue(new TimedAction { Frame = frame, Kind = TimedActionKind.Custom, Handler = handler, EventType = op, ChannelSlot = index, Value = value, Count = count });
        return true;
    }

    /// <summary>Audio thread: the Python side of an entry.</summary>
    public void Apply(in TimedAction a)
    {
        switch (a.EventType)
        {
            case OpPyNumber: python.AssignNumber(a.ChannelSlot, a.Value, (OscValueKind)a.Count); break;
            case OpPyString: python.AssignString(a.ChannelSlot, a.Count); break;
            case OpPyExec: python.Exec(a.Count); break;
        }
    }

    /// <summary>Splits bytes Csound read into whole messages (1 to 3 bytes each), as the host MIDI queue takes them.</summary>
    internal static IEnumerable<byte[]> MidiMessages(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length;)
        {
            var status = bytes[i];
            var length = status switch { >= 0xF8 => 1, >= 0xC0 and < 0xE0 => 2, _ => 3 };
            length = Math.Min(length, bytes.Length - i);
            yield return bytes[i..(i + length)];
            i += length;
        }
    }

    public void ForgetHeld() { }

    public InputReport Describe() => new(InputKind.Replay, $"the show log's {log.Entries.Count} entries", next, late);

    public void Dispose() => python.Dispose();
}
